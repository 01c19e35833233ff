/**
 * The error registry's codes of the objects themselves, which the Qlik elements raise before any
 * session code has loaded: an object the engine does not have, and objects nested without end.
 */
import type { ErrorArea } from './area.ts';

export const OBJECT_ERRORS = {
  object_not_found: {
    cause: 'The engine has no such object in this app, or the user may not see it.',
    hint:
      'Check the object-id attribute. If the object is on a sheet another user made and did not publish, only that user can see it: ' +
      'publish the sheet (or make your own copy), then retry.',
  },
  object_nesting: {
    cause: 'An object lists itself (or one of its ancestors) as a child, or nests deeper than the limit.',
    hint: "Fix the object's children in the app: a filter pane or container must not contain itself.",
  },
} satisfies ErrorArea;
