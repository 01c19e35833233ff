// What a page with only <auth-login> downloads: the element, the auth core and lit.
import { AuthLogin } from '../../src/elements/auth-login/auth-login.ts';

customElements.define('auth-login', AuthLogin);
