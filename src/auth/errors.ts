/**
 * The one base class for every typed error in the kit. A `code` names the failure
 * (`state_mismatch`, `invalid_grant`, `OAUTH-5`, `engine_closed_4204`…), `hint` says what
 * to fix, and `cause` keeps whatever the server sent.
 */
export class EmbedKitError extends Error {
  /** Stable, machine-readable failure code. */
  readonly code: string;
  /** What the page author or user should do about it. */
  readonly hint: string;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint ?? '';
  }
}
