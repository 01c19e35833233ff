/**
 * The QIX methods this engine answers, per handle type. Each handle type's table lives in its
 * own module; a method missing from its table answers -32601 naming the method, as the engine does.
 */
import type { CallContext, MethodTable, Result } from './method-kit.ts';
import { docMethods } from './methods-doc.ts';
import { docInfoMethods } from './methods-doc-info.ts';
import { docLibraryMethods } from './methods-doc-library.ts';
import { fieldMethods } from './methods-field.ts';
import { globalMethods } from './methods-global.ts';
import { bookmarkMethods, dimensionMethods, measureMethods, variableMethods } from './methods-library.ts';
import { objectMethods } from './methods-object.ts';
import { ErrorCode, Params, QixError, methodNotFound } from './rpc.ts';

export type { CallContext } from './method-kit.ts';

export const METHOD_TABLES: Readonly<Record<string, MethodTable>> = {
  Global: globalMethods,
  Doc: { ...docMethods, ...docInfoMethods, ...docLibraryMethods },
  GenericObject: objectMethods,
  Field: fieldMethods,
  GenericVariable: variableMethods,
  GenericBookmark: bookmarkMethods,
  GenericDimension: dimensionMethods,
  GenericMeasure: measureMethods,
};

/** Runs one method on a handle; throws QixError for unknown handles, methods and bad params. */
export function invoke(ctx: CallContext, method: string, params: unknown): Result {
  let type: string;
  if (ctx.handle === -1) type = 'Global';
  else {
    const entry = ctx.session.handles.get(ctx.handle);
    if (!entry) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid handle: ${ctx.handle}`, 'handle');
    type = entry.kind;
  }
  const table = METHOD_TABLES[type] as MethodTable;
  const def = Object.hasOwn(table, method) ? table[method] : undefined;
  if (!def) throw methodNotFound(type, method);
  return def.run(ctx, new Params(params, def.params));
}
