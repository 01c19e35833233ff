/**
 * Qlik clients post JSON to `/oauth/token` and `/oauth/revoke`; oidc-provider reads only
 * `application/x-www-form-urlencoded`. We read the body once, turn JSON into form fields, and
 * hand oidc-provider a fresh request carrying the form body.
 */
import { IncomingMessage } from 'node:http';

/** oidc-provider's own limit for these endpoints. */
export const BODY_LIMIT = 56 * 1024;

export class BodyError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'BodyError';
    this.status = status;
  }
}

export async function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw new BodyError(413, `request body larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyError(413, `request body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').replace(/;.*$/s, '').trim().toLowerCase();
}

export function isJson(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === 'application/json' || type.endsWith('+json');
}

export function isForm(contentType: string | undefined): boolean {
  return mediaType(contentType) === 'application/x-www-form-urlencoded';
}

/**
 * JSON object → form fields. Strings, numbers and booleans become one field; an array of those
 * becomes repeated fields (as `resource` would); objects and other arrays become their JSON
 * text (`user_lookup`, `authorization_details`), which is how a form body carries them too.
 */
export function jsonToForm(raw: Buffer): URLSearchParams {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BodyError(400, 'the request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BodyError(400, 'the request body must be a JSON object');
  }
  const form = new URLSearchParams();
  for (const [key, field] of Object.entries(value)) {
    if (field === null || field === undefined) continue;
    if (Array.isArray(field) && field.every(isScalar)) {
      for (const item of field) form.append(key, String(item));
    } else if (isScalar(field)) {
      form.append(key, String(field));
    } else {
      form.append(key, JSON.stringify(field));
    }
  }
  return form;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Form bodies may also spell `user_lookup` as `user_lookup[field]=…&user_lookup[value]=…`. */
export function normalizeForm(form: URLSearchParams): URLSearchParams {
  const field = form.get('user_lookup[field]');
  const value = form.get('user_lookup[value]');
  if (!form.has('user_lookup') && (field !== null || value !== null)) {
    form.set('user_lookup', JSON.stringify({ field, value }));
  }
  form.delete('user_lookup[field]');
  form.delete('user_lookup[value]');
  return form;
}

/**
 * A request oidc-provider can read in place of `req`, whose body we already consumed: same
 * method, URL, headers and socket, with `body` (and its content type) instead.
 */
export function replayRequest(req: IncomingMessage, body: Buffer, contentType: string | undefined): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  const headers = { ...req.headers, 'content-length': String(body.length) };
  delete headers['transfer-encoding'];
  if (contentType === undefined) delete headers['content-type'];
  else headers['content-type'] = contentType;
  copy.headers = headers;
  copy.push(body);
  copy.push(null);
  // Marks the copy as fully received, so that ending it never tears down the shared socket.
  copy.complete = true;
  return copy;
}
