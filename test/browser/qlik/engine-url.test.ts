import { expect } from '@open-wc/testing';
import { buildEngineUrl, redactEngineUrl, tenantUrl } from '../../../src/qlik/engine-url.ts';

const base = { appId: 'app-1', accessToken: 'tok', reloadUri: 'https://page.example/x' };

describe('buildEngineUrl', () => {
  it('builds wss from https with reloadUri and accessToken encoded', () => {
    const url = buildEngineUrl({ ...base, host: 'https://tenant.eu.qlikcloud.com' });
    expect(url).to.equal('wss://tenant.eu.qlikcloud.com/app/app-1?reloadUri=https%3A%2F%2Fpage.example%2Fx&accessToken=tok');
  });

  it('builds ws from http (the loopback dev tenant) and keeps the port', () => {
    expect(buildEngineUrl({ ...base, host: 'http://127.0.0.1:4321' })).to.match(/^ws:\/\/127\.0\.0\.1:4321\/app\/app-1\?/);
  });

  it('treats a bare host name as https', () => {
    expect(buildEngineUrl({ ...base, host: 'tenant.example.com' })).to.match(/^wss:\/\/tenant\.example\.com\/app\//);
  });

  it('encodes every part: app id, identity, token and reload URI', () => {
    const url = buildEngineUrl({
      host: 'https://t.example/',
      appId: 'a b/../c?d',
      identity: 'me & you/#',
      ttl: 60,
      accessToken: 'x+y/z=&w',
      reloadUri: 'https://p.example/a?b=1&c=2#h',
    });
    expect(url).to.equal(
      'wss://t.example/app/a%20b%2F..%2Fc%3Fd/identity/me%20%26%20you%2F%23/ttl/60' +
        '?reloadUri=https%3A%2F%2Fp.example%2Fa%3Fb%3D1%26c%3D2%23h&accessToken=x%2By%2Fz%3D%26w',
    );
    const parsed = new URL(url);
    expect(parsed.searchParams.get('accessToken')).to.equal('x+y/z=&w');
    expect(parsed.searchParams.get('reloadUri')).to.equal('https://p.example/a?b=1&c=2#h');
  });

  it('keeps a base path of a tenant behind a proxy and drops its query', () => {
    expect(buildEngineUrl({ ...base, host: 'https://proxy.example/qlik/?x=1' })).to.match(/^wss:\/\/proxy\.example\/qlik\/app\/app-1\?/);
  });

  it('leaves identity out when empty', () => {
    expect(buildEngineUrl({ ...base, host: 'https://t.example', identity: '' })).to.not.contain('/identity/');
  });

  it('throws TypeError for bad arguments', () => {
    expect(() => buildEngineUrl({ ...base, host: 'https://t.example', appId: '' })).to.throw(TypeError);
    expect(() => buildEngineUrl({ ...base, host: 'https://t.example', accessToken: '' })).to.throw(TypeError);
    expect(() => buildEngineUrl({ ...base, host: 'https://t.example', ttl: 1.5 })).to.throw(TypeError);
    expect(() => buildEngineUrl({ ...base, host: 'ftp://t.example' })).to.throw(TypeError);
  });

  it('refuses a missing host and plain http off loopback with typed errors', () => {
    const codeOf = (host: string) => {
      try {
        buildEngineUrl({ ...base, host });
        return 'accepted';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    expect(codeOf('')).to.equal('missing_host');
    expect(codeOf('http://tenant.example.com')).to.equal('insecure_endpoint');
    expect(codeOf('http://127.0.0.1:8787')).to.equal('accepted');
    expect(codeOf('http://localhost:8787')).to.equal('accepted');
  });

  it('redacts the token for logs', () => {
    const url = buildEngineUrl({ ...base, host: 'https://t.example', accessToken: 'secret' });
    expect(redactEngineUrl(url)).to.not.contain('secret');
    expect(redactEngineUrl(url)).to.contain('accessToken=[redacted]');
  });

  it('tenantUrl normalises hosts', () => {
    expect(tenantUrl('https://t.example/#x').href).to.equal('https://t.example/');
  });
});
