/**
 * Properties → layout, the way the engine evaluates a generic object: every `…Def` is replaced
 * by its computed counterpart (`qHyperCubeDef` → `qHyperCube`, `qListObjectDef` → `qListObject`,
 * `qSelectionObjectDef` → `qSelectionObject`, `qChildListDef` → `qChildList`, …), `qMetaDef`
 * becomes `qMeta`, and `qStringExpression`/`qValueExpression` are evaluated.
 */
import type { LoadedApp } from './app.ts';
import { objectType } from './app.ts';
import type { Field } from './data-model.ts';
import { type AggregationScope, ExpressionError, checkFields, evaluate, parseCached } from './expression.ts';
import { type CubeEnv, type CubeResult, hyperCubeLayout } from './hypercube.ts';
import { getAtPointer, isRecord, type JsonObject } from './json.ts';
import { type ListResult, listObjectLayout } from './list-object.ts';
import { formatNumber } from './number-format.ts';
import type { LibraryKind, SessionLibrary } from './library.ts';
import type { SelectionState } from './selection.ts';
import type { SelectionStates } from './states.ts';

export const ENGINE_VERSION = '12.2027.0';

/** What a layout needs from the session it is computed in. */
export interface LayoutSource {
  readonly app: LoadedApp;
  readonly state: SelectionState;
  readonly states: SelectionStates;
  readonly library: SessionLibrary;
  stateOf(name: string | undefined): SelectionState;
  env(stateName: string | undefined): CubeEnv;
  readonly backCount: number;
  readonly forwardCount: number;
  properties(id: string): JsonObject | undefined;
  childIds(id: string): string[];
  objectIds(includeSessionObjects: boolean): string[];
}

/** What a layout needs from the object it is computed for. */
export interface ObjectView {
  readonly inSelections: boolean;
  cube(path: string, def: JsonObject): CubeResult;
  list(path: string, def: JsonObject): ListResult;
}

const PRIVILEGES = ['read', 'update', 'delete', 'exportdata'];
const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const LONG_DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function localeInfo(): JsonObject {
  return {
    qDecimalSep: '.',
    qThousandSep: ',',
    qListSep: ',',
    qMoneyDecimalSep: '.',
    qMoneyThousandSep: ',',
    qCurrentYear: new Date().getUTCFullYear(),
    qMoneyFmt: '$#,##0.00;-$#,##0.00',
    qTimeFmt: 'h:mm:ss TT',
    qDateFmt: 'M/D/YYYY',
    qTimestampFmt: 'M/D/YYYY h:mm:ss[.fff] TT',
    qCalendarStrings: { qDayNames: DAY_NAMES, qMonthNames: MONTH_NAMES, qLongDayNames: LONG_DAY_NAMES, qLongMonthNames: LONG_MONTH_NAMES },
    qFirstWeekDay: 6,
    qBrokenWeeks: true,
    qReferenceDay: 0,
    qFirstMonthOfYear: 1,
    qCollation: 'en-US',
    qNumericalAbbreviation: '3:k;6:M;9:G;12:T;15:P;18:E;21:Z;24:Y;-3:m;-6:μ;-9:n;-12:p;-15:f;-18:a;-21:z;-24:y',
  };
}

export function meta(properties: JsonObject): JsonObject {
  const metaDef = isRecord(properties.qMetaDef) ? properties.qMetaDef : {};
  return { ...metaDef, privileges: PRIVILEGES };
}

function info(properties: JsonObject): JsonObject {
  return isRecord(properties.qInfo) ? { qId: properties.qInfo.qId, qType: properties.qInfo.qType } : { qId: '', qType: '' };
}

/** `qData` of a container entry: each `/pointer` read from the object's properties. */
function resolveData(source: LayoutSource, properties: JsonObject, mapping: unknown): JsonObject {
  if (!isRecord(mapping)) return {};
  const out: JsonObject = {};
  for (const [key, pointer] of Object.entries(mapping)) {
    if (typeof pointer === 'string' && pointer.startsWith('/')) {
      const value = getAtPointer(properties, pointer);
      if (value !== undefined) out[key] = transform(source, undefined, value, '');
    } else if (pointer !== undefined) {
      out[key] = pointer;
    }
  }
  return out;
}

export function containerEntry(source: LayoutSource, id: string, mapping: unknown): JsonObject | undefined {
  const properties = source.properties(id);
  if (!properties) return undefined;
  return { qInfo: info(properties), qMeta: meta(properties), qData: resolveData(source, properties, mapping) };
}

export function selectionObject(source: LayoutSource, stateName?: string): JsonObject {
  const { app } = source;
  const state = source.stateOf(stateName);
  const qSelections = [...state.selections].map(([fieldIndex, values]) => {
    const field = app.model.fields[fieldIndex] as Field;
    const selected = [...values].sort((a, b) => a - b);
    const texts = selected.map((v) => (field.values[v] as { text: string }).text);
    const threshold = 6;
    return {
      qField: field.name,
      qReadableName: field.name,
      qIsNum: field.isNumeric && !field.tags.includes('$text'),
      qLocked: state.isLocked(field),
      qOneAndOnlyOne: false,
      qTotal: field.cardinal,
      qSelectedCount: selected.length,
      qSelected: selected.length <= threshold ? texts.join(', ') : `${selected.length} of ${field.cardinal}`,
      qSelectionThreshold: threshold,
      qRangeInfo: [],
      qSortIndex: 0,
      qStateCounts: state.stateCounts(field, true),
      qSelectedFieldSelectionInfo: texts.slice(0, threshold).map((qName) => ({ qName, qFieldSelectionMode: 'NORMAL' })),
      qNotSelectedFieldSelectionInfo: [],
      qDimensionReferences: [],
    };
  });
  return { qBackCount: source.backCount, qForwardCount: source.forwardCount, qSelections };
}

/** Evaluates a scalar expression (no dimensions) over a state's selections, after `$(…)` expansion. */
export function evaluateScalar(source: LayoutSource, expression: string, stateName?: string): { text: string; num: number } {
  try {
    const env = source.env(stateName);
    const trimmed = env.expand(expression).trim().replace(/^=/, '').trim();
    const literal = /^'((?:[^']|'')*)'$/.exec(trimmed);
    if (literal) return { text: (literal[1] as string).replace(/''/g, "'"), num: Number.NaN };
    const expr = parseCached(trimmed);
    checkFields(expr, source.app.model);
    if (expr.kind === 'string') return { text: expr.value, num: Number.NaN };
    const rowsOf = (state: SelectionState | null): AggregationScope => {
      const rows = state ? state.includedRows : new Uint32Array(0);
      return { rows, rowCount: rows?.length ?? source.app.model.rowCount, rowGroup: null, groupCount: 1 };
    };
    const value = evaluate(expr, source.app.model, rowsOf(env.state), (set) => rowsOf(env.setState(set)))[0] as number;
    return { text: formatNumber(value, undefined), num: value };
  } catch (err) {
    if (err instanceof ExpressionError) return { text: `Error: ${err.message}`, num: Number.NaN };
    throw err;
  }
}

/** `qItems` of a library list (`qDimensionListDef`, `qMeasureListDef`, `qBookmarkListDef`). */
function libraryList(source: LayoutSource, kind: LibraryKind, def: unknown): JsonObject[] {
  const mapping = isRecord(def) ? def.qData : undefined;
  return source.library.list(kind).map((item) => ({ qInfo: info(item.properties), qMeta: meta(item.properties), qData: resolveData(source, item.properties, mapping) }));
}

function variableList(source: LayoutSource, def: unknown): JsonObject[] {
  const mapping = isRecord(def) ? def.qData : undefined;
  const showSession = isRecord(def) && def.qShowSession === true;
  return source.library
    .list('variable')
    .filter((item) => showSession || !item.isSession)
    .map((item) => ({
      qName: item.properties.qName,
      qDefinition: item.properties.qDefinition,
      qDescription: item.properties.qComment ?? '',
      qInfo: info(item.properties),
      qData: resolveData(source, item.properties, mapping),
      qIsScriptCreated: item.fromApp,
      qIsReserved: false,
      qIsConfig: false,
      ...(item.isSession ? { qIsSessionVariable: true } : {}),
    }));
}

function expressionText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.qExpr === 'string') return value.qExpr;
  return '';
}

function transform(source: LayoutSource, view: ObjectView | undefined, value: unknown, path: string): unknown {
  if (Array.isArray(value)) return value.map((item, i) => transform(source, view, item, `${path}/${i}`));
  if (!isRecord(value)) return value;
  if ('qStringExpression' in value) return evaluateScalar(source, expressionText(value.qStringExpression)).text;
  if ('qValueExpression' in value) {
    const n = evaluateScalar(source, expressionText(value.qValueExpression)).num;
    return Number.isFinite(n) ? n : 'NaN';
  }
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}/${key}`;
    switch (key) {
      case 'qHyperCubeDef':
        if (view && isRecord(child)) out.qHyperCube = hyperCubeLayout(view.cube(childPath, child));
        break;
      case 'qListObjectDef':
        if (view && isRecord(child)) out.qListObject = listObjectLayout(view.list(childPath, child));
        break;
      case 'qSelectionObjectDef':
        out.qSelectionObject = selectionObject(source, isRecord(child) && typeof child.qStateName === 'string' ? child.qStateName : undefined);
        break;
      case 'qChildListDef':
        out.qChildList = { qItems: [] };
        break;
      case 'qAppObjectListDef': {
        const def = isRecord(child) ? child : {};
        const type = typeof def.qType === 'string' ? def.qType : '';
        const qItems = source
          .objectIds(false)
          .map((id) => source.properties(id))
          .filter((p): p is JsonObject => p !== undefined && objectType(p) === type)
          .map((p) => ({ qInfo: info(p), qMeta: meta(p), qData: resolveData(source, p, def.qData) }));
        out.qAppObjectList = { qItems };
        break;
      }
      case 'qFieldListDef':
        out.qFieldList = {
          qItems: source.app.model.fields.map((f) => ({ qName: f.name, qCardinal: f.cardinal, qTags: [...f.tags], qIsSemantic: false, qIsHidden: false, qIsSystem: false, qAndMode: false, qIsDerivedField: false, qSrcTables: [source.app.model.tableName] })),
        };
        break;
      case 'qDimensionListDef':
        out.qDimensionList = { qItems: libraryList(source, 'dimension', child) };
        break;
      case 'qMeasureListDef':
        out.qMeasureList = { qItems: libraryList(source, 'measure', child) };
        break;
      case 'qBookmarkListDef':
        out.qBookmarkList = { qItems: libraryList(source, 'bookmark', child) };
        break;
      case 'qVariableListDef':
        out.qVariableList = { qItems: variableList(source, child) };
        break;
      default:
        out[key] = transform(source, view, child, childPath);
    }
  }
  return out;
}

/** The layout of a generic object, computed against the session's current selections. */
export function objectLayout(source: LayoutSource, properties: JsonObject, view: ObjectView): JsonObject {
  const id = isRecord(properties.qInfo) && typeof properties.qInfo.qId === 'string' ? properties.qInfo.qId : '';
  const out: JsonObject = { qInfo: info(properties), qMeta: meta(properties), qSelectionInfo: { qInSelections: view.inSelections, qMadeSelections: false } };
  for (const [key, value] of Object.entries(properties)) {
    if (key === 'qInfo' || key === 'qMetaDef' || key === 'qExtendsId' || key === 'qStateName') continue;
    if (key === 'qChildListDef') {
      const mapping = isRecord(value) ? value.qData : undefined;
      out.qChildList = { qItems: source.childIds(id).flatMap((child): JsonObject[] => {
        const entry = containerEntry(source, child, mapping);
        return entry ? [entry] : [];
      }) };
      continue;
    }
    const transformed = transform(source, view, { [key]: value }, '');
    Object.assign(out, transformed);
  }
  return out;
}

export function appLayout(source: LayoutSource): JsonObject {
  const { def } = source.app;
  return {
    qTitle: def.title,
    qFileName: def.id,
    qLastReloadTime: def.lastReloadTime,
    qModified: false,
    qHasScript: true,
    qStateNames: source.states.alternateNames(),
    qMeta: { privileges: PRIVILEGES, description: def.description },
    qLocaleInfo: localeInfo(),
    qHasData: true,
    qReadOnly: false,
    qIsOpenedWithoutData: false,
    qIsSessionApp: false,
    qProhibitBinaryLoad: false,
    qThumbnail: { qUrl: '' },
    qIsBDILiveMode: false,
    qUnsupportedFeatures: [],
    qUsage: 'ANALYTICS',
    id: def.id,
    description: def.description,
    published: false,
    encrypted: false,
    hassectionaccess: false,
    // Not in a real app layout (clients make a CurrentSelections object for this); kept here
    // so a client can show selections from the layout it already has.
    qSelectionObject: selectionObject(source),
  };
}

export function appProperties(source: LayoutSource): JsonObject {
  const { def } = source.app;
  return {
    qTitle: def.title,
    qLastReloadTime: def.lastReloadTime,
    qMigrationHash: '',
    qSavedInProductVersion: ENGINE_VERSION,
    qThumbnail: { qUrl: '' },
    qHasSectionAccess: false,
    qUsage: 'ANALYTICS',
    description: def.description,
  };
}

/** Does this object's layout depend on selections (so it changes when they do)? */
export function dependsOnSelections(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(dependsOnSelections);
  if (!isRecord(value)) return false;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'qHyperCubeDef' || key === 'qListObjectDef' || key === 'qSelectionObjectDef' || key === 'qStringExpression' || key === 'qValueExpression') return true;
    if (dependsOnSelections(child)) return true;
  }
  return false;
}
