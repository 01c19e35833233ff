/** The shape of a QIX schema file as enigma.js reads it (`structs` of methods with `In`/`Out`). */
export interface QixSchema {
  structs: Record<string, Record<string, { In: { Name: string; DefaultValue?: unknown; Optional?: boolean }[]; Out: { Name: string }[] }>>;
  enums?: unknown;
}
