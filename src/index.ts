/** Classes and types only; importing this registers nothing. Use `embed-kit/define` for that. */
export { AuthLogin } from './elements/auth-login/auth-login.ts';
export * from './elements/auth-login/events.ts';
export { authContext } from './elements/auth-context.ts';
export * from './auth/index.ts';
