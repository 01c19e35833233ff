/** Methods on a Field handle (`Doc.GetField`), in the state the handle was opened for. */
import type { Field } from './data-model.ts';
import { isRecord } from './json.ts';
import { type CallContext, fieldOf, integers, type MethodTable } from './method-kit.ts';
import { ErrorCode, QixError } from './rpc.ts';
import type { SelectMode } from './selection-control.ts';
import { matchFieldValues } from './text-match.ts';

function select(ctx: CallContext, values: Iterable<number>, mode: SelectMode): boolean {
  const { field, stateName } = fieldOf(ctx);
  return ctx.session.selections.selectValues(field, values, mode, ctx.handle, stateName);
}

/** Value indexes of the field whose state (ignoring the field's own selection) passes `keep`. */
function valuesWhere(ctx: CallContext, keep: (possible: boolean, selected: boolean) => boolean): number[] {
  const { field, stateName } = fieldOf(ctx);
  const state = ctx.session.stateOf(stateName);
  const possible = state.possibleIgnoringOwn(field);
  const selected = state.selected(field);
  return Array.from({ length: field.cardinal }, (_, i) => i).filter((v) => keep(possible === null || possible[v] === 1, selected?.has(v) === true));
}

function lockField(ctx: CallContext, lock: boolean): Record<string, never> {
  const { field, stateName } = fieldOf(ctx);
  ctx.session.selections.lock(stateName, [field], lock);
  return {};
}

function byFieldValues(field: Field, wanted: unknown[]): number[] {
  const values: number[] = [];
  for (const fv of wanted) {
    if (!isRecord(fv)) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): qFieldValues must hold objects', 'qFieldValues');
    const byNumber = fv.qIsNumeric === true && typeof fv.qNumber === 'number';
    field.values.forEach((value, i) => {
      if (byNumber ? value.num === fv.qNumber : value.text === fv.qText) values.push(i);
    });
  }
  return values;
}

export const fieldMethods: MethodTable = {
  Select: {
    params: ['qMatch', 'qSoftLock', 'qExcludedValuesMode'],
    run(ctx, p) {
      const matches = matchFieldValues(fieldOf(ctx).field, p.string('qMatch'));
      p.boolean('qSoftLock', false);
      p.integer('qExcludedValuesMode', 0);
      return { qReturn: select(ctx, matches, 'replace') && matches.length > 0 };
    },
  },
  ToggleSelect: {
    params: ['qMatch', 'qSoftLock', 'qExcludedValuesMode'],
    run(ctx, p) {
      const matches = matchFieldValues(fieldOf(ctx).field, p.string('qMatch'));
      return { qReturn: select(ctx, matches, 'toggle') && matches.length > 0 };
    },
  },
  SelectValues: {
    params: ['qFieldValues', 'qToggleMode', 'qSoftLock'],
    run(ctx, p) {
      const values = byFieldValues(fieldOf(ctx).field, p.array('qFieldValues'));
      const toggle = p.boolean('qToggleMode', false);
      p.boolean('qSoftLock', false);
      return { qReturn: select(ctx, values, toggle ? 'toggle' : 'replace') };
    },
  },
  LowLevelSelect: {
    params: ['qValues', 'qToggleMode', 'qSoftLock'],
    run(ctx, p) {
      const values = integers(p.array('qValues'), 'qValues');
      return { qReturn: select(ctx, values, p.boolean('qToggleMode') ? 'toggle' : 'replace') };
    },
  },
  SelectAll: { params: ['qSoftLock'], run: (ctx) => ({ qReturn: select(ctx, valuesWhere(ctx, (possible) => possible), 'replace') }) },
  SelectPossible: { params: ['qSoftLock'], run: (ctx) => ({ qReturn: select(ctx, valuesWhere(ctx, (possible, selected) => possible && !selected), 'replace') }) },
  SelectAlternative: { params: ['qSoftLock'], run: (ctx) => ({ qReturn: select(ctx, valuesWhere(ctx, (possible, selected) => possible && !selected), 'replace') }) },
  SelectExcluded: { params: ['qSoftLock'], run: (ctx) => ({ qReturn: select(ctx, valuesWhere(ctx, (_possible, selected) => !selected), 'replace') }) },
  Clear: { params: [], run: (ctx) => ({ qReturn: select(ctx, [], 'replace') }) },
  ClearAllButThis: {
    params: ['qSoftLock'],
    run(ctx) {
      const { field, stateName } = fieldOf(ctx);
      const current = ctx.session.stateOf(stateName);
      let ok = true;
      for (const other of ctx.session.app.model.fields) {
        if (other !== field && current.selected(other)) ok = ctx.session.selections.selectValues(other, [], 'replace', ctx.handle, stateName) && ok;
      }
      return { qReturn: ok };
    },
  },
  Lock: { params: [], run: (ctx) => lockField(ctx, true) },
  Unlock: { params: [], run: (ctx) => lockField(ctx, false) },
  GetCardinal: { params: [], run: (ctx) => ({ qReturn: fieldOf(ctx).field.cardinal }) },
  GetAndMode: { params: [], run: () => ({ qReturn: false }) },
  GetNxProperties: { params: [], run: () => ({ qProperties: { qOneAndOnlyOne: false } }) },
};
