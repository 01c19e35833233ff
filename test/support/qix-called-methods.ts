/**
 * The QIX methods the kit itself calls, by handle type. The schema test checks the shipped core
 * schema has them; the bench sizes a schema trimmed to only these, for comparison.
 */
export const CALLED_METHODS: Record<string, string[]> = {
  Global: ['OpenDoc', 'GetActiveDoc', 'EngineVersion'],
  Doc: ['GetAppLayout', 'GetAllInfos', 'GetObject', 'CreateSessionObject', 'DestroySessionObject', 'GetField', 'ClearAll'],
  GenericObject: [
    'GetLayout',
    'GetHyperCubeData',
    'SelectHyperCubeValues',
    'GetListObjectData',
    'SelectListObjectValues',
    'SearchListObjectFor',
    'AcceptListObjectSearch',
    'AbortListObjectSearch',
    'ClearSelections',
  ],
  Field: ['Clear', 'SelectValues'],
};
