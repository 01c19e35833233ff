/**
 * Who is signed in: the claims of a verified ID token, or what the provider's user endpoint says
 * (Qlik `GET /api/v1/users/me`, Genesys `GET /api/v2/users/me`, OIDC `userinfo_endpoint`).
 */
import { EmbedKitError, UserInfoError } from './errors.ts';
import { send, type RequestSeam } from './http.ts';
import { parseErrorBody } from './error-response.ts';

/**
 * The signed-in user: `id`, `name` and `email` where the provider has them, plus everything it
 * sent under its own names (`sub`, `tenantId`, `username`…). Server text is data: show it as text.
 */
export interface AuthUser {
  id?: string;
  name?: string;
  email?: string;
  [field: string]: unknown;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * A user from a provider's record: the record's own fields, with `id` (else `sub`), `name`
 * (else `preferred_username`, `username`) and `email` as strings or absent.
 */
export function toAuthUser(record: Record<string, unknown>): AuthUser {
  const user: AuthUser = { ...record };
  const id = text(record.id) ?? text(record.sub);
  const name = text(record.name) ?? text(record.preferred_username) ?? text(record.username);
  const email = text(record.email);
  delete user.id;
  delete user.name;
  delete user.email;
  if (id !== undefined) user.id = id;
  if (name !== undefined) user.name = name;
  if (email !== undefined) user.email = email;
  return user;
}

function unavailable(message: string, hint: string, cause: unknown): UserInfoError {
  return new UserInfoError('user_unavailable', message, { hint, cause });
}

/**
 * `GET endpoint` with the access token as Bearer; no cookies, since the token is the credential.
 * @throws {UserInfoError} `user_unavailable`, with the underlying error or body as `cause`.
 */
export async function fetchUser(endpoint: string, accessToken: string, seam: RequestSeam = {}): Promise<AuthUser> {
  let result;
  try {
    result = await send(
      endpoint,
      { method: 'GET', headers: { Accept: 'application/json', Authorization: `Bearer ${accessToken}` }, credentials: 'omit' },
      seam,
    );
  } catch (error) {
    if (seam.signal?.aborted) throw error;
    const typed = error instanceof EmbedKitError ? error : undefined;
    throw unavailable(
      `Loading the user from ${endpoint} failed: ${error instanceof Error ? error.message : String(error)}`,
      typed?.hint ?? 'See the error cause.',
      error,
    );
  }
  const { response, body } = result;
  if (!response.ok) {
    const parsed = parseErrorBody(body);
    const detail = parsed.description ?? parsed.code ?? '';
    throw unavailable(
      `Loading the user from ${endpoint} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}.`,
      response.status === 401 || response.status === 403
        ? 'The access token may not read the user. Grant the client the scope or permission for this endpoint; sign-in itself worked.'
        : 'Sign-in itself worked; only the user is unknown. Check the user endpoint (userinfoEndpoint).',
      body,
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw unavailable(`The user endpoint ${endpoint} did not answer with a JSON object.`, 'Check the user endpoint (userinfoEndpoint).', body);
  }
  return toAuthUser(body as Record<string, unknown>);
}
