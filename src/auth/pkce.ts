/**
 * Proof Key for Code Exchange (RFC 7636) and the random values a login needs.
 * @see https://www.rfc-editor.org/rfc/rfc7636
 */

/** RFC 7636 §4.1 `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"`: 66 characters. */
export const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/**
 * Bytes at or above this are thrown away. 198 is the largest multiple of 66 that fits in a
 * byte, so every kept byte maps onto the alphabet exactly three times and no character is
 * more likely than another (plain `byte % 66` would favour the first 58 characters).
 */
const ACCEPT_BELOW = 256 - (256 % UNRESERVED.length);

const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * A fresh `code_verifier`: `length` characters (43–128) drawn uniformly from the unreserved
 * set with `crypto.getRandomValues`, by rejection sampling.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 * @throws {TypeError} when `length` is not an integer in 43–128.
 */
export function createCodeVerifier(length = 64): string {
  if (!Number.isInteger(length) || length < 43 || length > 128) {
    throw new TypeError(`code_verifier length must be an integer from 43 to 128, got ${String(length)}`);
  }
  let verifier = '';
  // About 77% of bytes are kept, so a batch of twice the length almost always suffices.
  const batch = new Uint8Array(length * 2);
  while (verifier.length < length) {
    crypto.getRandomValues(batch);
    for (const byte of batch) {
      if (byte >= ACCEPT_BELOW) continue;
      verifier += UNRESERVED[byte % UNRESERVED.length];
      if (verifier.length === length) break;
    }
  }
  return verifier;
}

/**
 * Unpadded base64url (RFC 4648 §5), as PKCE, JWTs and our `state` use it.
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-5
 */
export function base64url(bytes: Uint8Array | ArrayBuffer): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The S256 `code_challenge`: `BASE64URL(SHA256(ASCII(code_verifier)))`.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 * @throws {TypeError} when `verifier` is not a valid code_verifier.
 */
export async function computeCodeChallenge(verifier: string): Promise<string> {
  if (typeof verifier !== 'string' || !VERIFIER_PATTERN.test(verifier)) {
    throw new TypeError('code_verifier must be 43–128 characters from A–Z a–z 0–9 - . _ ~');
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(digest);
}

/**
 * An opaque `state` with 256 bits of entropy (base64url of 32 random bytes, 43 characters).
 * It ties the callback to the login this tab started and keys the stored transaction.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export function createState(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}
