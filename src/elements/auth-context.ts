import { createContext } from '@lit/context';
import type { AuthSource } from '../auth/source.ts';

/**
 * The sign-in shared with nested elements. A `Symbol.for` key, so two copies of the bundle
 * on one page (common on CMS pages) still find each other.
 */
export const authContext = createContext<AuthSource | undefined>(Symbol.for('embed-kit/auth'));
