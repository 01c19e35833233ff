/**
 * Registers every embed-kit tag. Safe to load twice (CMS pages often do): a tag that is already
 * defined is left alone.
 */
import { AuthLogin } from './elements/auth-login/auth-login.ts';

const tags: Array<[string, CustomElementConstructor]> = [['auth-login', AuthLogin]];

for (const [tag, element] of tags) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-login': AuthLogin;
  }
}
