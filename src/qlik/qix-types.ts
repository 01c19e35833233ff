/**
 * Typed views of the enigma.js objects and QIX layouts the kit uses. enigma generates its
 * methods from the schema at run time; these interfaces name the part of that API we call
 * (camel-cased, positional parameters, as enigma generates them) and the layout fields we read.
 * Page authors who need more can call any other schema method on the same objects.
 */

/** enigma.js's event emitter (node `events` style). */
export interface EnigmaEmitter {
  on(event: string, listener: (...args: never[]) => void): void;
  removeListener(event: string, listener: (...args: never[]) => void): void;
  removeAllListeners(event?: string): void;
}

/** `session.on('suspended', …)` payload. */
export interface EnigmaSuspendedEvent {
  initiator: 'network' | 'manual';
  code: number;
  reason: string;
}

export interface EnigmaSession extends EnigmaEmitter {
  open(): Promise<QixGlobal>;
  close(code?: number, reason?: string): Promise<void>;
  suspend(code?: number, reason?: string): Promise<void>;
  resume(onlyIfAttached?: boolean): Promise<void>;
}

/** What every generated API object has. */
export interface QixApi extends EnigmaEmitter {
  readonly id: string;
  readonly type: string;
  readonly genericType: string;
  readonly handle: number;
  readonly session: EnigmaSession;
}

export interface QixGlobal extends QixApi {
  openDoc(qDocName: string, qUserName?: string, qPassword?: string, qSerial?: string, qNoData?: boolean): Promise<QixDoc>;
  engineVersion(): Promise<{ qComponentVersion: string }>;
}

export interface NxInfo {
  qId: string;
  qType: string;
}

export interface QixDoc extends QixApi {
  getAppLayout(): Promise<NxAppLayout>;
  getAllInfos(): Promise<NxInfo[]>;
  getObject(qId: string): Promise<QixGenericObject>;
  createSessionObject(qProp: GenericObjectProperties): Promise<QixGenericObject>;
  destroySessionObject(qId: string): Promise<boolean>;
  getField(qFieldName: string, qStateName?: string): Promise<QixField>;
  clearAll(qLockedAlso?: boolean, qStateName?: string): Promise<void>;
  back(): Promise<void>;
  forward(): Promise<void>;
  lockAll(qStateName?: string): Promise<void>;
  unlockAll(qStateName?: string): Promise<void>;
  applyBookmark(qId: string): Promise<boolean>;
  createBookmark(qProp: GenericObjectProperties): Promise<QixApi>;
  getVariableByName(qName: string): Promise<QixVariable>;
}

/** A `GenericVariable` (`Doc.GetVariableByName`). */
export interface QixVariable extends QixApi {
  getLayout(): Promise<{ qInfo: NxInfo; qText?: string; qNum?: number | 'NaN'; qIsScriptCreated?: boolean }>;
  setStringValue(qVal: string): Promise<void>;
  setNumValue(qVal: number): Promise<void>;
}

export interface QixField extends QixApi {
  clear(): Promise<boolean>;
  select(qMatch: string, qSoftLock?: boolean, qExcludedValuesMode?: number): Promise<boolean>;
  lock(): Promise<boolean>;
  unlock(): Promise<boolean>;
  selectValues(qFieldValues: { qText?: string; qNumber?: number; qIsNumeric?: boolean }[], qToggleMode?: boolean, qSoftLock?: boolean): Promise<boolean>;
}

export interface NxPage {
  qLeft: number;
  qTop: number;
  qWidth: number;
  qHeight: number;
}

export interface QixGenericObject extends QixApi {
  getLayout(): Promise<GenericObjectLayout>;
  getHyperCubeData(qPath: string, qPages: NxPage[]): Promise<NxDataPage[]>;
  selectHyperCubeValues(qPath: string, qDimNo: number, qValues: number[], qToggleMode: boolean): Promise<boolean>;
  getListObjectData(qPath: string, qPages: NxPage[]): Promise<NxDataPage[]>;
  selectListObjectValues(qPath: string, qValues: number[], qToggleMode: boolean, qSoftLock?: boolean): Promise<boolean>;
  searchListObjectFor(qPath: string, qMatch: string): Promise<boolean>;
  acceptListObjectSearch(qPath: string, qToggleMode: boolean, qSoftLock?: boolean): Promise<void>;
  abortListObjectSearch(qPath: string): Promise<void>;
  clearSelections(qPath: string, qColIndices?: number[]): Promise<void>;
  /** Qlik's server-side export; `qUrl` is relative to the tenant. */
  exportData(qFileType: 'OOXML' | 'CSV_C' | 'CSV_T', qPath?: string, qFileName?: string, qExportState?: 'EXPORT_POSSIBLE' | 'EXPORT_ALL'): Promise<{ qUrl: string; qWarnings?: number[] }>;
}

export interface GenericObjectProperties {
  qInfo: { qId?: string; qType: string };
  [key: string]: unknown;
}

/** Cell states: S selected, O optional, X excluded, A alternative, L locked, XS/XL excluded selected/locked. */
export type NxCellState = 'S' | 'O' | 'X' | 'A' | 'L' | 'XS' | 'XL' | 'D';

export interface NxCell {
  qText?: string;
  qNum?: number | 'NaN';
  qElemNumber: number;
  qState: NxCellState;
  qIsNull?: boolean;
  qIsOtherCell?: boolean;
  qIsTotalCell?: boolean;
}

export interface NxDataPage {
  qArea: NxPage;
  qMatrix: NxCell[][];
  qTails?: unknown[];
}

export interface NxNumFormat {
  qType?: string;
  qFmt?: string;
  /** Decimal and thousands separators the pattern is written with. */
  qDec?: string;
  qThou?: string;
}

export interface NxDimensionInfo {
  qFallbackTitle: string;
  qCardinal?: number;
  qGroupFieldDefs?: string[];
  qLocked?: boolean;
  qStateCounts?: Partial<Record<'qSelected' | 'qOption' | 'qExcluded' | 'qAlternative', number>>;
}

export interface NxMeasureInfo {
  qFallbackTitle: string;
  qMin?: number;
  qMax?: number;
  qNumFormat?: NxNumFormat;
  /** A combo chart measure's series (`qDef.series`, copied to the layout): bar or line, and its axis. */
  series?: { type?: string; axis?: number };
}

export interface HyperCube {
  qSize: { qcx: number; qcy: number };
  qDimensionInfo: NxDimensionInfo[];
  qMeasureInfo: NxMeasureInfo[];
  qDataPages: NxDataPage[];
  qGrandTotalRow?: NxCell[];
  qMode?: string;
}

export interface ListObject {
  qSize: { qcx: number; qcy: number };
  qDimensionInfo: NxDimensionInfo;
  qDataPages: NxDataPage[];
}

export interface NxMeta {
  title?: string;
  description?: string;
}

/** One cell of a sheet's grid, as sheets store them. */
export interface SheetCell {
  name: string;
  type?: string;
  col: number;
  row: number;
  colspan: number;
  rowspan: number;
}

export interface NxCurrentSelectionItem {
  qField: string;
  qSelected: string;
  qSelectedCount: number;
  qTotal: number;
  qLocked?: boolean;
  qIsNum?: boolean;
  qStateName?: string;
  qSelectedFieldSelectionInfo?: { qName: string; qFieldSelectionMode?: string }[];
}

export interface SelectionObject {
  qBackCount?: number;
  qForwardCount?: number;
  qSelections: NxCurrentSelectionItem[];
}

/** The fields of a generic object's layout that the kit reads. */
export interface GenericObjectLayout {
  qInfo: NxInfo;
  qMeta?: NxMeta;
  visualization?: string;
  title?: string;
  subtitle?: string;
  footnote?: string;
  /** Text objects (`text-image`). */
  markdown?: string;
  qHyperCube?: HyperCube;
  qListObject?: ListObject;
  qChildList?: { qItems: { qInfo: NxInfo; qData?: { title?: string; [key: string]: unknown } }[] };
  qSelectionObject?: SelectionObject;
  /** Sheets. */
  cells?: SheetCell[];
  columns?: number;
  rows?: number;
  rank?: number;
  [key: string]: unknown;
}

export interface NxAppLayout {
  qTitle: string;
  qFileName?: string;
  qSelectionObject?: SelectionObject;
  [key: string]: unknown;
}
