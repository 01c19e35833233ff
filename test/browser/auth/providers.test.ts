import { expect } from '@open-wc/testing';
import { ConfigurationError } from '../../../src/auth/errors.ts';
import {
  checkProviderOptions,
  isLoopbackHost,
  normalizeHost,
  resolveProvider,
  type ProviderOptions,
} from '../../../src/auth/providers.ts';
import { configurationCode, fakeFetch, json, rejection } from './fakes.ts';

const ISSUER = 'https://honest.as.example';
const METADATA = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  revocation_endpoint: `${ISSUER}/revoke`,
  userinfo_endpoint: `${ISSUER}/me`,
  code_challenge_methods_supported: ['S256'],
  authorization_response_iss_parameter_supported: true,
};

describe('providers', () => {
  describe('qlik', () => {
    it('builds the tenant endpoints and defaults from a bare host', async () => {
      expect(await resolveProvider({ host: 'tenant.eu.qlikcloud.com' })).to.deep.equal({
        provider: 'qlik',
        host: 'https://tenant.eu.qlikcloud.com',
        issuer: undefined,
        authorizationEndpoint: 'https://tenant.eu.qlikcloud.com/oauth/authorize',
        tokenEndpoint: 'https://tenant.eu.qlikcloud.com/oauth/token',
        revocationEndpoint: 'https://tenant.eu.qlikcloud.com/oauth/revoke',
        userinfoEndpoint: 'https://tenant.eu.qlikcloud.com/api/v1/users/me',
        scope: 'user_default',
        tokenRequestFormat: 'json',
        credentials: 'include',
        issuerParameterSupported: false,
      });
    });

    it('normalises a host given with scheme, slash or path to an origin', () => {
      for (const host of ['https://tenant.eu.qlikcloud.com', 'https://tenant.eu.qlikcloud.com/', 'https://Tenant.EU.qlikcloud.com/hub/', ' tenant.eu.qlikcloud.com ']) {
        expect(normalizeHost(host), host).to.equal('https://tenant.eu.qlikcloud.com');
      }
      expect(normalizeHost('http://localhost:3000/')).to.equal('http://localhost:3000');
    });

    it('lets explicit options win over the defaults', async () => {
      const resolved = await resolveProvider({
        host: 'tenant.eu.qlikcloud.com',
        scope: 'user_default admin_classic',
        tokenRequestFormat: 'form',
        credentials: 'omit',
        tokenEndpoint: 'https://proxy.example/token',
      });
      expect(resolved.scope).to.equal('user_default admin_classic');
      expect(resolved.tokenRequestFormat).to.equal('form');
      expect(resolved.credentials).to.equal('omit');
      expect(resolved.tokenEndpoint).to.equal('https://proxy.example/token');
    });

    it('needs a host', () => {
      expect(configurationCode(() => checkProviderOptions({}))).to.equal('missing_option');
    });
  });

  describe('genesys', () => {
    it('builds login and api endpoints from the region', async () => {
      const resolved = await resolveProvider({ provider: 'genesys', region: 'mypurecloud.de' });
      expect(resolved.authorizationEndpoint).to.equal('https://login.mypurecloud.de/oauth/authorize');
      expect(resolved.tokenEndpoint).to.equal('https://login.mypurecloud.de/oauth/token');
      expect(resolved.userinfoEndpoint).to.equal('https://api.mypurecloud.de/api/v2/users/me');
      expect(resolved.host).to.equal('https://api.mypurecloud.de');
      expect(resolved.revocationEndpoint).to.equal(undefined);
      expect(resolved.tokenRequestFormat).to.equal('form');
    });

    it('needs a plain region domain', () => {
      expect(configurationCode(() => checkProviderOptions({ provider: 'genesys' }))).to.equal('missing_option');
      expect(configurationCode(() => checkProviderOptions({ provider: 'genesys', region: 'https://evil.example/x' }))).to.equal(
        'invalid_option',
      );
    });
  });

  describe('oidc', () => {
    it('discovers endpoints from the issuer through the injected fetch', async () => {
      const server = fakeFetch(() => json(METADATA));
      const resolved = await resolveProvider({ provider: 'oidc', issuer: ISSUER }, { fetch: server.fetch });
      expect(server.calls.map((call) => [call.method, call.url])).to.deep.equal([
        ['GET', `${ISSUER}/.well-known/openid-configuration`],
      ]);
      expect(resolved).to.deep.include({
        issuer: ISSUER,
        authorizationEndpoint: `${ISSUER}/authorize`,
        tokenEndpoint: `${ISSUER}/token`,
        revocationEndpoint: `${ISSUER}/revoke`,
        userinfoEndpoint: `${ISSUER}/me`,
        issuerParameterSupported: true,
        scope: 'openid',
        tokenRequestFormat: 'form',
      });
    });

    it('appends the well-known path to an issuer with a path', async () => {
      const issuer = 'https://idp.example/realms/demo';
      const server = fakeFetch(() => json({ ...METADATA, issuer }));
      await resolveProvider({ provider: 'oidc', issuer: `${issuer}/` }, { fetch: server.fetch });
      expect(server.calls[0].url).to.equal(`${issuer}/.well-known/openid-configuration`);
    });

    it('refuses metadata for another issuer', async () => {
      const server = fakeFetch(() => json({ ...METADATA, issuer: 'https://evil.example' }));
      const error = (await rejection(() => resolveProvider({ provider: 'oidc', issuer: ISSUER }, { fetch: server.fetch }))) as ConfigurationError;
      expect(error.code).to.equal('discovery_issuer_mismatch');
    });

    it('refuses a server without PKCE S256', async () => {
      const server = fakeFetch(() => json({ ...METADATA, code_challenge_methods_supported: ['plain'] }));
      const error = (await rejection(() => resolveProvider({ provider: 'oidc', issuer: ISSUER }, { fetch: server.fetch }))) as ConfigurationError;
      expect(error.code).to.equal('pkce_unsupported');
    });

    it('refuses discovered plain-http endpoints', async () => {
      const server = fakeFetch(() => json({ ...METADATA, token_endpoint: 'http://honest.as.example/token' }));
      const error = (await rejection(() => resolveProvider({ provider: 'oidc', issuer: ISSUER }, { fetch: server.fetch }))) as ConfigurationError;
      expect(error.code).to.equal('insecure_endpoint');
    });

    it('reports a failed discovery with discovery_failed', async () => {
      const server = fakeFetch(() => json({ error: 'not_found' }, 404));
      const error = (await rejection(() => resolveProvider({ provider: 'oidc', issuer: ISSUER }, { fetch: server.fetch }))) as ConfigurationError;
      expect(error.code).to.equal('discovery_failed');
      expect(error.hint).to.include('issuer');
    });

    it('needs an issuer', () => {
      expect(configurationCode(() => checkProviderOptions({ provider: 'oidc' }))).to.equal('missing_option');
    });
  });

  describe('custom', () => {
    it('uses the explicit endpoints', async () => {
      const resolved = await resolveProvider({
        provider: 'custom',
        authorizationEndpoint: 'https://as.example/a',
        tokenEndpoint: 'https://as.example/t',
        revocationEndpoint: 'https://as.example/r',
      });
      expect(resolved).to.deep.include({
        authorizationEndpoint: 'https://as.example/a',
        tokenEndpoint: 'https://as.example/t',
        revocationEndpoint: 'https://as.example/r',
        tokenRequestFormat: 'form',
      });
    });

    it('needs both endpoints', () => {
      expect(configurationCode(() => checkProviderOptions({ provider: 'custom', tokenEndpoint: 'https://as.example/t' }))).to.equal(
        'missing_option',
      );
    });
  });

  describe('refusals', () => {
    it('refuses plain http off loopback', () => {
      const refused: ProviderOptions[] = [
        { host: 'http://tenant.example' },
        { host: 'http://localhost.evil.example' },
        { host: 'http://127.0.0.1.nip.io' },
        { host: 'http://10.0.0.1' },
        { provider: 'custom', authorizationEndpoint: 'http://as.example/a', tokenEndpoint: 'https://as.example/t' },
        { provider: 'oidc', issuer: 'http://honest.as.example' },
      ];
      for (const options of refused) {
        expect(configurationCode(() => checkProviderOptions(options)), JSON.stringify(options)).to.equal('insecure_endpoint');
      }
    });

    it('allows plain http on loopback', () => {
      for (const host of ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://127.5.6.7', 'http://[::1]:3000', 'http://dev.localhost']) {
        expect(() => checkProviderOptions({ host }), host).not.to.throw();
      }
    });

    it('says how to fix an insecure endpoint', () => {
      let hint = '';
      try {
        checkProviderOptions({ host: 'http://tenant.example' });
      } catch (error) {
        hint = (error as ConfigurationError).hint;
      }
      expect(hint).to.include('https://tenant.example').and.include('loopback');
    });

    it('refuses other schemes', () => {
      expect(configurationCode(() => checkProviderOptions({ provider: 'custom', authorizationEndpoint: 'javascript:alert(1)', tokenEndpoint: 'https://a.example/t' }))).to.equal(
        'invalid_option',
      );
    });

    it('refuses a client secret in any spelling, saying why', () => {
      for (const name of ['clientSecret', 'client_secret', 'client-secret']) {
        const options = { host: 'tenant.example', [name]: 's3cr3t' } as ProviderOptions;
        try {
          checkProviderOptions(options);
          expect.fail(`${name} accepted`);
        } catch (error) {
          const typed = error as ConfigurationError;
          expect(typed).to.be.instanceOf(ConfigurationError);
          expect(typed.code).to.equal('client_secret_refused');
          expect(typed.message).to.include('cannot keep it secret');
          expect(typed.hint).to.include('PKCE').and.include('backend');
          expect(typed.message + typed.hint).not.to.include('s3cr3t');
        }
      }
    });

    it('knows loopback hosts', () => {
      const cases: [string, boolean][] = [
        ['localhost', true],
        ['LOCALHOST', true],
        ['app.localhost', true],
        ['127.0.0.1', true],
        ['127.255.255.254', true],
        ['[::1]', true],
        ['128.0.0.1', false],
        ['localhost.example', false],
        ['[::2]', false],
        ['0.0.0.0', false],
      ];
      for (const [host, loopback] of cases) expect(isLoopbackHost(host), host).to.equal(loopback);
    });
  });
});
