import { css } from 'lit';

// Written compactly, one rule per line: CSS ships as written, so spacing would cost bytes on every page.
export const styles = css`
:host{--embed-kit-accent:#0b6e4f;--embed-kit-accent-contrast:#fff;--embed-kit-error:#b3261e;--embed-kit-radius:6px;--embed-kit-font:inherit;display:inline-block;font:var(--embed-kit-font)}
:host([hidden]){display:none}
[part~='base']{display:inline-flex;flex-wrap:wrap;align-items:center;gap:0.5em}
button{font:inherit;cursor:pointer;border:1px solid var(--embed-kit-accent);border-radius:var(--embed-kit-radius);background:var(--embed-kit-accent);color:var(--embed-kit-accent-contrast);padding:0.4em 0.9em}
button[part~='sign-out']{background:transparent;color:var(--embed-kit-accent)}
button:focus-visible{outline:2px solid var(--embed-kit-accent);outline-offset:2px}
[part~='error']{color:var(--embed-kit-error);display:grid;gap:0.2em}
[part~='error'] code{font-size:0.85em;opacity:0.8}
`;
