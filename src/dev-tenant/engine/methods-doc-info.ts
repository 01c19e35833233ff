/**
 * Doc methods that describe the app and check expressions: field descriptions, table data,
 * expression checks and expansion, set analysis of the current selections, and the answers a
 * read-only, in-memory app gives to script, save and undo requests.
 */
import type { Field } from './data-model.ts';
import { ExpressionError, expandDollars, fieldNames, parseExpression } from './expression.ts';
import type { JsonObject } from './json.ts';
import { evaluateScalar } from './layout.ts';
import { type CallContext, type MethodTable, strings } from './method-kit.ts';
import { ErrorCode, QixError } from './rpc.ts';
import { MAX_REQUEST_CELLS } from './pages.ts';

function fieldDescription(ctx: CallContext, field: Field): JsonObject {
  const { model } = ctx.session.app;
  const state = ctx.session.state;
  return {
    qInternalNumber: field.index,
    qName: field.name,
    qSrcTables: [model.tableName],
    qIsSystem: false,
    qIsHidden: false,
    qIsSemantic: false,
    qDistinctOnly: false,
    qCardinal: field.cardinal,
    qTotalCount: model.rowCount,
    qPossibleCount: state.possibleIgnoringOwn(field)?.reduce((a, b) => a + b, 0) ?? field.cardinal,
    qHasInfo: false,
    qIsLocked: state.isLocked(field),
    qAlwaysOneSelected: false,
    qAndMode: false,
    qIsNumeric: field.isNumeric,
    qComment: field.spec.comment ?? '',
    qTags: [...field.tags],
    qIsDefinitionOnly: false,
    qByteSize: 0,
  };
}

/** Expands `$(…)` with the session's variables. */
function expand(ctx: CallContext, text: string): string {
  return expandDollars(text, (name) => ctx.session.library.variableText(name), (expression) => evaluateScalar(ctx.session, expression).text);
}

function check(ctx: CallContext, expression: string): { qErrorMsg: string; qBadFieldNames: JsonObject[] } {
  try {
    const text = expand(ctx, expression);
    const expr = parseExpression(text);
    const qBadFieldNames = [...fieldNames(expr)].filter((name) => !ctx.session.app.model.field(name)).map((name) => {
      const at = Math.max(0, text.indexOf(name));
      return { qFrom: at, qCount: name.length };
    });
    return { qErrorMsg: qBadFieldNames.length ? 'Bad field name(s)' : '', qBadFieldNames };
  } catch (err) {
    if (err instanceof ExpressionError) return { qErrorMsg: err.message, qBadFieldNames: [] };
    throw err;
  }
}

/** The selections of a state as a set expression: `{<Region={'Europe'},Year={2023}>}`. */
function setAnalysis(ctx: CallContext, stateName: string): string {
  const state = ctx.session.stateOf(stateName);
  const modifiers = [...state.selections].map(([index, values]) => {
    const field = ctx.session.app.model.fields[index] as Field;
    const numeric = field.isNumeric && !field.tags.includes('$text');
    const elements = [...values].map((v) => {
      const value = field.values[v] as { text: string; num: number };
      return numeric ? String(value.num) : `'${value.text.replace(/'/g, "''")}'`;
    });
    return `[${field.name}]={${elements.join(',')}}`;
  });
  const identifier = stateName && stateName !== '$' ? stateName : '';
  return modifiers.length ? `{${identifier}<${modifiers.join(',')}>}` : `{${identifier || '$'}}`;
}

export const docInfoMethods: MethodTable = {
  GetFieldDescription: {
    params: ['qFieldName'],
    run(ctx, p) {
      const field = ctx.session.app.model.field(p.string('qFieldName'));
      if (!field) throw new QixError(ErrorCode.GENERIC_NOT_FOUND, `Field not found: ${p.string('qFieldName')}`, 'qFieldName');
      return { qReturn: fieldDescription(ctx, field) };
    },
  },
  GetMatchingFields: {
    params: ['qTags', 'qMatchingFieldMode'],
    run(ctx, p) {
      const tags = strings(p.array('qTags'), 'qTags');
      const all = p.string('qMatchingFieldMode', 'MATCHINGFIELDMODE_MATCH_ALL') !== 'MATCHINGFIELDMODE_MATCH_ONE';
      const fields = ctx.session.app.model.fields.filter((f) => (all ? tags.every((t) => f.tags.includes(t)) : tags.some((t) => f.tags.includes(t))));
      return { qFieldNames: fields.map((f) => ({ qName: f.name, qReadableName: f.name })) };
    },
  },
  GetFieldsFromExpression: {
    params: ['qExpr'],
    run(ctx, p) {
      try {
        return { qFieldNames: [...fieldNames(parseExpression(expand(ctx, p.string('qExpr'))))] };
      } catch (err) {
        if (err instanceof ExpressionError) return { qFieldNames: [] };
        throw err;
      }
    },
  },
  CheckExpression: { params: ['qExpr', 'qLabels'], run: (ctx, p) => ({ ...check(ctx, p.string('qExpr')), qDangerousFieldNames: [] }) },
  CheckNumberOrExpression: {
    params: ['qExpr'],
    run(ctx, p) {
      const text = p.string('qExpr');
      return Number.isFinite(Number(text)) && text.trim() !== '' ? { qErrorMsg: '', qBadFieldNames: [] } : check(ctx, text);
    },
  },
  ExpandExpression: { params: ['qExpression'], run: (ctx, p) => ({ qExpandedExpression: expand(ctx, p.string('qExpression')) }) },
  GetSetAnalysis: {
    params: ['qStateName', 'qBookmarkId'],
    run(ctx, p) {
      if (p.string('qBookmarkId', '')) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): qBookmarkId is not supported by the dev tenant; apply the bookmark first', 'qBookmarkId');
      return { qSetExpression: setAnalysis(ctx, p.string('qStateName', '')) };
    },
  },
  GetTableData: {
    params: ['qOffset', 'qRows', 'qSyntheticMode', 'qTableName'],
    run(ctx, p) {
      const { model } = ctx.session.app;
      const offset = Math.max(0, p.integer('qOffset'));
      const rows = Math.max(0, p.integer('qRows'));
      if (p.string('qTableName') !== model.tableName) throw new QixError(ErrorCode.GENERIC_NOT_FOUND, `Table not found: ${p.string('qTableName')}`, 'qTableName');
      if (rows * model.fields.length > MAX_REQUEST_CELLS) throw new QixError(ErrorCode.HC_RESULT_TOO_LARGE, `Result too large: at most ${MAX_REQUEST_CELLS} cells per request`, 'qRows');
      const qData: JsonObject[] = [{ qValue: model.fields.map((f) => ({ qText: f.name, qIsNumeric: false, qNumber: 'NaN' })) }];
      for (let r = offset; r < Math.min(model.rowCount, offset + rows); r += 1) {
        qData.push({
          qValue: model.fields.map((f) => {
            const v = f.values[f.codes[r] as number] as { text: string; num: number };
            return { qText: v.text, qIsNumeric: !Number.isNaN(v.num), qNumber: Number.isNaN(v.num) ? 'NaN' : v.num };
          }),
        });
      }
      return { qData };
    },
  },
  BackCount: { params: [], run: (ctx) => ({ qReturn: ctx.session.backCount }) },
  ForwardCount: { params: [], run: (ctx) => ({ qReturn: ctx.session.forwardCount }) },
  // The dev tenant keeps no undo stack for property changes: nothing to undo or clear.
  ClearUndoBuffer: { params: [], run: () => ({}) },
  Undo: { params: [], run: () => ({ qSuccess: false }) },
  Redo: { params: [], run: () => ({ qSuccess: false }) },
  // Data is generated in memory when the engine starts; there is no script to edit or save.
  GetEmptyScript: { params: ['qLocalizedMainSection'], run: () => ({ qReturn: '///$tab Main\r\n' }) },
  GetScript: { params: [], run: (ctx) => ({ qScript: `///$tab Main\r\n// ${ctx.session.app.model.tableName}: generated in memory by the dev tenant (${ctx.session.app.model.fields.length} fields).\r\n` }) },
  DoSave: { params: ['qFileName'], run: () => ({}) },
  SaveObjects: { params: [], run: () => ({}) },
  // Soft patches are applied like hard ones in a session, so there is nothing separate to clear.
  ClearAllSoftPatches: { params: [], run: () => ({}) },
  Resume: { params: [], run: () => ({}) },
  GetContentLibraries: { params: [], run: () => ({ qList: { qItems: [] } }) },
  GetMediaList: { params: [], run: () => ({ qList: { qItems: [] }, qReturn: true }) },
  GetConnections: { params: [], run: () => ({ qConnections: [] }) },
  GetTextMacros: { params: [], run: () => ({ qMacros: [] }) },
  GetLineage: { params: [], run: (ctx) => ({ qLineage: [{ qDiscriminator: `generated:${ctx.session.app.model.tableName}`, qStatement: '' }] }) },
  GetFavoriteVariables: { params: [], run: (ctx) => ({ qNames: [...(favorites.get(ctx.session) ?? [])] }) },
  SetFavoriteVariables: { params: ['qNames'], run: (ctx, p) => (favorites.set(ctx.session, strings(p.array('qNames'), 'qNames')), {}) },
  GetFieldOnTheFlyByName: {
    params: ['qReadableName'],
    run(ctx, p) {
      const field = ctx.session.app.model.field(p.string('qReadableName'));
      return { qName: field ? field.name : '' };
    },
  },
  GetViewDlgSaveInfo: { params: [], run: () => ({ qReturn: { qPos: { qLeft: 0, qTop: 0, qWidth: 0, qHeight: 0 }, qCtlInfo: {}, qMode: 0 } }) },
};

const favorites = new WeakMap<object, string[]>();
