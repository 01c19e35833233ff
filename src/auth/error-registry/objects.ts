/**
 * The error registry's codes of the objects themselves, which the Qlik elements raise before any
 * session code has loaded: an object the engine does not have, a call about it that failed, and
 * objects nested without end.
 */
import { errorArea } from './area.ts';

export const OBJECT_ERRORS = errorArea({
  object_not_found: {
    cause: 'The engine has no such object in this app, or the user may not see it.',
    hint:
      'Check the object-id attribute. If the object is on a sheet another user made and did not publish, only that user can see it: ' +
      'publish the sheet (or make your own copy), then retry.',
  },
  engine_request_failed: { cause: 'A JSON-RPC call to the engine failed.', hint: 'See the error cause; enigma.js codes are kept in engineCode.' },
  object_nesting: {
    cause: 'An object lists itself (or one of its ancestors) as a child, or nests deeper than the limit.',
    hint: "Fix the object's children in the app: a filter pane or container must not contain itself.",
  },
});
