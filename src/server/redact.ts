/**
 * Keeps the client secret out of every text that leaves the upstream call (error messages,
 * descriptions). Replacing known spellings is not enough: a hostile or buggy tenant can echo the
 * secret hex-, base64-, entity- or `\u`-escaped, or any mix. So a text is decoded every way we
 * know, a few rounds deep, and withheld whole when any decoding shows the secret.
 */

export interface SecretGuard {
  /** The text, or a marker when it shows the secret in any spelling. */
  scrub(text: string): string;
  /** Plain spellings replaced, the rest kept: only for the opt-in raw body. */
  replaceSpellings(text: string): string;
}

const WITHHELD = '[withheld: it contained the client secret]';

/** Decoding rounds: `%5Cu0041` (a URL-encoded `\u` escape) needs two. */
const MAX_ROUNDS = 3;
/** Longer texts are cut after the check; descriptions are short. */
const MAX_TEXT = 2000;

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", sol: '/', bsol: '\\', colon: ':', equals: '=', plus: '+' };

function fromCodePoint(code: number): string {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

const decoders: ReadonlyArray<(text: string) => string> = [
  // HTML entities: &#60; &#x3c; &lt;
  (text) =>
    text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, name: string) => {
      if (name[0] === '#') return fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
      return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
    }),
  // JavaScript/JSON escapes: \u003c \x3c \/
  (text) =>
    text.replace(/\\(u\{[0-9a-f]+\}|u[0-9a-f]{4}|x[0-9a-f]{2}|.)/gi, (_whole, esc: string) => {
      if (esc.length > 1 && (esc[0] === 'u' || esc[0] === 'x')) return fromCodePoint(parseInt(esc.replace(/^[ux]\{?|\}$/g, ''), 16));
      return esc;
    }),
  // Percent- and form-encoding, byte by byte so that one bad sequence does not stop the rest.
  (text) => text.replace(/\+/g, ' ').replace(/(%[0-9a-f]{2})+/gi, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('latin1')),
  (text) => text.replace(/(%[0-9a-f]{2})+/gi, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8')),
];

/** Binary-to-text spellings: runs of hex or base64 characters, decoded at every alignment. */
function binaryDecodings(text: string, minLength: number): string[] {
  const out: string[] = [];
  for (const run of text.match(/[0-9a-f]{4,}/gi) ?? []) {
    if (run.length < minLength * 2) continue;
    for (const start of [0, 1]) out.push(Buffer.from(run.slice(start, start + ((run.length - start) & ~1)), 'hex').toString('latin1'));
  }
  for (const run of text.match(/[A-Za-z0-9+/_-]{4,}={0,2}/g) ?? []) {
    if (run.length < (minLength * 4) / 3) continue;
    for (const start of [0, 1, 2, 3]) out.push(Buffer.from(run.slice(start), 'base64').toString('latin1'));
  }
  return out;
}

export function createSecretGuard(secret: string): SecretGuard {
  const needle = secret.toLowerCase();
  const utf8AsLatin1 = Buffer.from(secret, 'utf8').toString('latin1').toLowerCase();
  const shows = (candidate: string): boolean => {
    const lower = candidate.toLowerCase();
    return lower.includes(needle) || lower.includes(utf8AsLatin1);
  };
  const spellings = [
    ...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]),
  ].filter((s) => s.length > 0);

  function reveals(text: string): boolean {
    let frontier = [text];
    const seen = new Set(frontier);
    for (let round = 0; round <= MAX_ROUNDS && frontier.length > 0; round += 1) {
      const next: string[] = [];
      for (const candidate of frontier) {
        if (shows(candidate)) return true;
        if (binaryDecodings(candidate, secret.length).some(shows)) return true;
        for (const decode of decoders) {
          const decoded = decode(candidate);
          if (!seen.has(decoded)) {
            seen.add(decoded);
            next.push(decoded);
          }
        }
      }
      frontier = next;
    }
    return false;
  }

  return {
    scrub(text) {
      // Checking costs time per character, and a cut could keep half of the secret: refuse instead.
      if (text.length > MAX_TEXT * 4) return `[withheld: ${text.length} characters]`;
      if (secret.length === 0) return text.slice(0, MAX_TEXT);
      return reveals(text) ? WITHHELD : text.slice(0, MAX_TEXT);
    },
    replaceSpellings(text) {
      return spellings.reduce((out, spelling) => out.split(spelling).join('[redacted]'), text);
    },
  };
}
