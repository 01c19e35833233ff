/**
 * Verifying an OpenID Connect ID token: the signature against the provider's published keys
 * (`jwks_uri`), then the claims OIDC Core §3.1.3.7 asks a client to check. The cryptography is
 * jose's. `AuthClient` imports this module dynamically, only when a token response carries an
 * `id_token`, so a page that never receives one never downloads jose.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from 'jose';
import { EmbedKitError, IdTokenError, NetworkError, TimeoutError } from './errors.ts';
import { hintIn } from './error-registry/area.ts';
import { OAUTH_ERRORS } from './error-registry/oauth.ts';
import { TOKEN_ERRORS } from './error-registry/tokens.ts';
import { DEFAULT_TIMEOUT_MS, type RequestSeam } from './http.ts';

/** The claims of a verified ID token, wire names kept. */
export interface IdTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nonce?: string;
  azp?: string;
  name?: string;
  email?: string;
}

/** What an ID token from this provider, for this client, must say. */
export interface IdTokenVerifierOptions {
  /** The issuer from discovery; `iss` must equal it exactly. */
  issuer: string;
  /** `aud` must contain it (and `azp` must equal it when present or when there are several audiences). */
  clientId: string;
  /** The provider's `jwks_uri`, where the signing keys are published. */
  jwksUri: string;
  /** Allowed clock difference for `exp`, `iat` and `nbf`. Default 60. */
  clockToleranceSeconds?: number;
  /** Clock seam; defaults to `Date.now`. */
  now?: () => number;
}

/** What one token must say beyond the provider-wide checks. */
export interface IdTokenCheck {
  /**
   * The nonce sent with the authorization request. When given, the token must carry exactly it
   * (`nonce_mismatch`). Left out for tokens from a refresh, which need not repeat it.
   */
  nonce?: string;
  /** For a refreshed token: the `sub` of the first one, which it must repeat (OIDC Core §12.2). */
  subject?: string;
}

export type IdTokenVerifier = (idToken: string, check?: IdTokenCheck) => Promise<IdTokenClaims>;

/**
 * Signature algorithms accepted: asymmetric only. An HMAC-signed ID token would be keyed with the
 * client secret a public client does not have, and `none` is never accepted.
 */
const ID_TOKEN_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

const DEFAULT_CLOCK_TOLERANCE_SECONDS = 60;

function invalid(message: string, hint: string, cause?: unknown): IdTokenError {
  return new IdTokenError('id_token_invalid', message, { hint, cause });
}

const SIGN_IN_AGAIN = 'Nothing from it was kept; sign in again.';
const CLOCK_HINT = 'Check that this device\'s clock is right (and the server\'s), then sign in again.';

/** jose's failures, as the kit's typed errors with a hint that says what to fix. */
function toTypedError(error: unknown, options: IdTokenVerifierOptions, timeoutMs: number): EmbedKitError {
  if (error instanceof EmbedKitError) return error;
  const { jwksUri } = options;
  if (error instanceof errors.JWKSTimeout) {
    return new TimeoutError('timeout', `The signing keys at ${jwksUri} did not arrive within ${timeoutMs} ms.`, {
      hint: hintIn(OAUTH_ERRORS, 'timeout', { timeoutMs }),
      cause: error,
    });
  }
  if (error instanceof errors.JWTExpired) {
    return invalid(`The ID token is expired (${error.claim} check failed).`, CLOCK_HINT, error);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return invalid(
          `The ID token names issuer ${JSON.stringify(error.payload.iss)}, not ${options.issuer}.`,
          `Only tokens from the discovered issuer are accepted. Check the issuer option against the server metadata. ${SIGN_IN_AGAIN}`,
          error,
        );
      case 'aud':
        return invalid(
          `The ID token was issued for audience ${JSON.stringify(error.payload.aud)}, not for client ${options.clientId}.`,
          `A token for another client is refused. Check client-id. ${SIGN_IN_AGAIN}`,
          error,
        );
      case 'nbf':
      case 'iat':
      case 'exp':
        return invalid(`The ID token's ${error.claim} claim is not valid: ${error.message}.`, CLOCK_HINT, error);
      default:
        return invalid(`The ID token's ${error.claim} claim is not valid: ${error.message}.`, SIGN_IN_AGAIN, error);
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return invalid(
      'The ID token\'s signature does not verify with the provider\'s keys.',
      `The token was altered, or signed by someone other than the provider (${jwksUri}). ${SIGN_IN_AGAIN}`,
      error,
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return invalid(
      `No single key at ${jwksUri} matches the ID token's kid and alg.`,
      `The token was signed with a key the provider does not publish. ${SIGN_IN_AGAIN} If it repeats, check that jwks_uri in the metadata lists the provider's current keys.`,
      error,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return invalid(
      'The ID token is signed with an algorithm that is not accepted.',
      `Accepted: ${ID_TOKEN_ALGORITHMS.join(', ')}. Configure the client's id_token_signed_response_alg to one of them.`,
      error,
    );
  }
  if (error instanceof errors.JWKSInvalid || (error instanceof errors.JOSEError && /JSON Web Key Set/.test(error.message))) {
    return invalid(
      `The signing keys at ${jwksUri} could not be read: ${error.message}`,
      'Check that jwks_uri answers 200 with a JSON Web Key Set, reachable with CORS from this origin.',
      error,
    );
  }
  if (error instanceof errors.JOSEError) {
    return invalid(`The ID token is not valid: ${error.message}`, SIGN_IN_AGAIN, error);
  }
  return invalid(`The ID token could not be verified: ${error instanceof Error ? error.message : String(error)}`, SIGN_IN_AGAIN, error);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The checks jose leaves to us: `sub`, `azp`, `iat` in the future, `nonce`, and `sub` on refresh. */
function checkClaims(payload: JWTPayload, options: IdTokenVerifierOptions, check: IdTokenCheck, nowSeconds: number, tolerance: number): IdTokenClaims {
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw invalid('The ID token has no sub claim.', SIGN_IN_AGAIN);
  }
  // OIDC Core §3.1.3.7 steps 4 and 5.
  const audiences = typeof payload.aud === 'string' ? [payload.aud] : isStringArray(payload.aud) ? payload.aud : [];
  if ((audiences.length > 1 || payload.azp !== undefined) && payload.azp !== options.clientId) {
    throw invalid(
      `The ID token's authorized party (azp ${JSON.stringify(payload.azp)}) is not client ${options.clientId}.`,
      `A token for another client is refused. Check client-id. ${SIGN_IN_AGAIN}`,
    );
  }
  if (typeof payload.iat !== 'number' || payload.iat > nowSeconds + tolerance) {
    throw invalid('The ID token\'s iat claim is missing or in the future.', CLOCK_HINT);
  }
  if (check.nonce !== undefined && payload.nonce !== check.nonce) {
    throw new IdTokenError('nonce_mismatch', 'The ID token\'s nonce is not the one this tab sent with its sign-in.', {
      hint: hintIn(TOKEN_ERRORS, 'nonce_mismatch'),
    });
  }
  if (check.subject !== undefined && payload.sub !== check.subject) {
    throw invalid(
      'A refreshed ID token names another user (sub) than the one who signed in.',
      'The provider must keep sub across a refresh (OIDC Core §12.2). Sign in again.',
    );
  }
  return payload as IdTokenClaims;
}

/**
 * A verifier for one provider and client. It keeps the provider's keys between calls and fetches
 * them again when a token names a key it does not have (a rotation), through `seam.fetch`.
 * @throws {TypeError} when `jwksUri` is not an absolute URL.
 */
export function createIdTokenVerifier(options: IdTokenVerifierOptions, seam: RequestSeam = {}): IdTokenVerifier {
  const timeoutMs = Math.ceil(seam.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const now = options.now ?? Date.now;
  const doFetch = seam.fetch ?? globalThis.fetch.bind(globalThis);
  const keys = createRemoteJWKSet(new URL(options.jwksUri), {
    timeoutDuration: timeoutMs,
    // Through the kit's fetch seam, so tests and proxies see this request like every other.
    [customFetch]: async (url, init) => {
      const signal = seam.signal ? AbortSignal.any([init.signal, seam.signal]) : init.signal;
      try {
        return await doFetch(url, { ...init, signal, credentials: 'omit' });
      } catch (error) {
        if (seam.signal?.aborted) throw seam.signal.reason;
        // jose turns its own deadline into JWKSTimeout; leave that one as it is.
        if (init.signal.aborted) throw error;
        throw new NetworkError('network_error', `Fetching the signing keys from ${url} failed.`, {
          hint: hintIn(OAUTH_ERRORS, 'network_error', { endpoint: new URL(url).origin }),
          cause: error,
        });
      }
    },
  });

  return async (idToken, check = {}) => {
    if (typeof idToken !== 'string' || idToken === '') throw invalid('The id_token is empty.', SIGN_IN_AGAIN);
    const nowSeconds = Math.floor(now() / 1000);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, keys, {
        issuer: options.issuer,
        audience: options.clientId,
        algorithms: ID_TOKEN_ALGORITHMS,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: tolerance,
        currentDate: new Date(nowSeconds * 1000),
      }));
    } catch (error) {
      if (seam.signal?.aborted) throw seam.signal.reason;
      throw toTypedError(error, options, timeoutMs);
    }
    return checkClaims(payload, options, check, nowSeconds, tolerance);
  };
}

/**
 * Verifies one ID token: signature through `jwksUri`, `iss`, `aud`/`azp`, `exp`, `iat`, and the
 * `nonce` when one is given.
 * @throws {IdTokenError} `id_token_invalid` or `nonce_mismatch`; `NetworkError` or `TimeoutError`
 * when the keys cannot be fetched.
 */
export function verifyIdToken(
  idToken: string,
  options: IdTokenVerifierOptions & IdTokenCheck,
  seam: RequestSeam = {},
): Promise<IdTokenClaims> {
  return createIdTokenVerifier(options, seam)(idToken, options);
}
