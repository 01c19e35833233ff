/**
 * A stand-in for a tenant's `/oauth/token` and `/oauth/revoke`, over real HTTP on loopback: it
 * counts impersonation calls per user and lets a test script each answer (an error body, a 429
 * with Retry-After, or no answer at all). Issued tokens are `tok-<n>-<subject>`.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInCall {
  /** 1-based, across all token calls. */
  n: number;
  /** `user_lookup.value`. */
  user: string;
  body: Record<string, unknown>;
}

/** A scripted answer; `hang` answers only at `release()` (or never: the socket stays open until close()). */
export type StandInReply = 'hang' | { status?: number; headers?: Record<string, string>; json?: unknown; text?: string };

export interface StandInTenant {
  readonly url: string;
  readonly calls: StandInCall[];
  /** Tokens posted to `/oauth/revoke`. */
  readonly revoked: string[];
  /** Decides each token answer; `undefined` issues a token valid for an hour. */
  reply: (call: StandInCall) => StandInReply | undefined;
  /** Token calls, for one user or all. */
  tokenCalls(user?: string): number;
  /** Resolves once `count` token calls have arrived in total. */
  callsReached(count: number): Promise<void>;
  /** Answers every held (`hang`) call with a token. */
  release(): void;
  /** Between tests: forgets the calls and goes back to issuing tokens. */
  reset(): void;
  close(): Promise<void>;
}

/** A 429 as Qlik Cloud sends it, with `Retry-After` (seconds or an HTTP date). */
export function rateLimitedReply(retryAfter: string): StandInReply {
  return { status: 429, headers: { 'retry-after': retryAfter }, json: { errors: [{ code: 'HTTP-429', title: 'Too Many Requests' }] } };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req as AsyncIterable<Buffer>) text += chunk.toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function answer(res: ServerResponse, reply: Exclude<StandInReply, 'hang'>): void {
  const text = reply.text ?? JSON.stringify(reply.json ?? {});
  res.writeHead(reply.status ?? 200, { 'content-type': reply.text === undefined ? 'application/json' : 'text/plain', ...reply.headers });
  res.end(text);
}

export async function startStandInTenant(): Promise<StandInTenant> {
  const calls: StandInCall[] = [];
  const revoked: string[] = [];
  const waiters: Array<{ count: number; resolve(): void }> = [];
  const held: Array<() => void> = [];
  const tenant: StandInTenant = {
    url: '',
    calls,
    revoked,
    reply: () => undefined,
    tokenCalls: (user) => (user === undefined ? calls.length : calls.filter((c) => c.user === user).length),
    release: () => {
      for (const answerNow of held.splice(0)) answerNow();
    },
    reset: () => {
      calls.length = 0;
      tenant.reply = () => undefined;
    },
    callsReached: (count) => (calls.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readJson(req);
      if (req.url === '/oauth/revoke') {
        revoked.push(String(body.token));
        answer(res, { json: {} });
        return;
      }
      const lookup = body.user_lookup as { value?: unknown } | undefined;
      const call: StandInCall = { n: calls.length + 1, user: String(lookup?.value), body };
      calls.push(call);
      for (const waiter of waiters.filter((w) => calls.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const issue = { json: { access_token: `tok-${call.n}-${call.user}`, token_type: 'Bearer', expires_in: 3600 } };
      const reply = tenant.reply(call) ?? issue;
      if (reply === 'hang') held.push(() => answer(res, issue));
      else answer(res, reply);
    })();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(tenant, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  return tenant;
}
