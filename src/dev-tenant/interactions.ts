/**
 * oidc-provider's interactions, served by us at `/interaction/{uid}`: the login page lists the
 * demo users, and consent is granted on the user's behalf, because every client of the dev
 * tenant is first-party.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { renderErrorPage, renderLoginPage } from './login-page.ts';
import { readBody } from './request-body.ts';
import type { UserDirectory } from './users.ts';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

export const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)$/;

export interface InteractionDependencies {
  provider: Provider;
  users: UserDirectory;
  clientName(clientId: string): Promise<string>;
}

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // No scripts at all; `form-action` is left out because browsers apply it to the redirect back to the client.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { ...HTML_HEADERS, 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

export async function handleInteraction(req: IncomingMessage, res: ServerResponse, uid: string, deps: InteractionDependencies): Promise<void> {
  const { provider, users } = deps;
  let details: Interaction;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    sendHtml(res, 400, renderErrorPage({
      error: 'invalid_request',
      error_description: 'This sign-in is unknown or has expired, or the browser did not send its cookie. Start the sign-in again from the app.',
    }));
    return;
  }
  if (details.uid !== uid) {
    sendHtml(res, 400, renderErrorPage({ error: 'invalid_request', error_description: 'This page does not belong to the current sign-in. Start again from the app.' }));
    return;
  }

  const clientId = String(details.params['client_id']);
  const action = `/interaction/${encodeURIComponent(uid)}`;

  if (req.method === 'GET') {
    if (details.prompt.name === 'login') {
      sendHtml(res, 200, renderLoginPage({ action, users: users.all, clientName: await deps.clientName(clientId) }));
      return;
    }
    const accountId = details.session?.accountId;
    if (details.prompt.name === 'consent' && accountId) {
      await provider.interactionFinished(req, res, { consent: { grantId: await grantConsent(provider, details, accountId) } }, { mergeWithLastSubmission: true });
      return;
    }
    sendHtml(res, 400, renderErrorPage({ error: 'invalid_request', error_description: `unexpected prompt ${details.prompt.name}` }));
    return;
  }

  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'GET, POST' }).end();
    return;
  }

  const form = new URLSearchParams((await readBody(req)).toString('utf8'));
  if (form.has('cancel')) {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user cancelled the sign-in' }, { mergeWithLastSubmission: false });
    return;
  }
  const user = users.byUsername(form.get('user') ?? undefined);
  if (!user) {
    sendHtml(res, 400, renderLoginPage({ action, users: users.all, clientName: await deps.clientName(clientId), notice: 'Unknown user. Pick one of the demo users.' }));
    return;
  }
  // Login and consent in one step: the grant is ready, so oidc-provider needs no consent prompt.
  const grantId = await grantConsent(provider, details, user.id);
  await provider.interactionFinished(req, res, { login: { accountId: user.id }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

/** Grants every scope and claim the client asked for. */
async function grantConsent(provider: Provider, details: Interaction, accountId: string): Promise<string> {
  const clientId = String(details.params['client_id']);
  let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  if (!grant || grant.accountId !== accountId || grant.clientId !== clientId) {
    grant = new provider.Grant({ accountId, clientId });
  }
  const scope = details.params['scope'];
  if (typeof scope === 'string' && scope) grant.addOIDCScope(scope);
  const missingClaims = details.prompt.details['missingOIDCClaims'];
  if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims.filter((c): c is string => typeof c === 'string'));
  return grant.save();
}
