/**
 * The kit's theme as a nebula.js theme: the same CSS custom properties that colour the native
 * renderers (`--qlik-text-color`, `--qlik-chart-color-0` …) become a theme JSON, so one rule on
 * the page themes native and nebula objects alike. DOM-free: `read` returns a property's value.
 */

/** A nebula.js theme (the part the kit sets; `_inherit` keeps the rest of the default theme). */
export interface NebulaThemeJson {
  _inherit: true;
  color: string;
  fontFamily: string;
  backgroundColor: string;
  dataColors: { primaryColor: string; othersColor: string; nullColor: string };
  palettes: { data: { name: string; propertyValue: string; scale: string[]; type: 'row' }[]; ui: { name: string; colors: string[] }[] };
  object: { title: { main: { color: string }; subTitle: { color: string } } };
}

const DEFAULTS: Record<string, string> = {
  '--qlik-font-family': 'system-ui, sans-serif',
  '--qlik-text-color': '#1f2328',
  '--qlik-muted-color': '#59636e',
  '--qlik-background': '#fff',
  '--qlik-chart-color-0': '#4477aa',
};

export function nebulaTheme(read: (property: string) => string): NebulaThemeJson {
  const value = (property: string) => read(property).trim() || DEFAULTS[property] || '';
  const colours = Array.from({ length: 8 }, (_, i) => value(`--qlik-chart-color-${i}`)).filter(Boolean);
  const muted = value('--qlik-muted-color');
  return {
    _inherit: true,
    color: value('--qlik-text-color'),
    fontFamily: value('--qlik-font-family'),
    backgroundColor: value('--qlik-background'),
    dataColors: { primaryColor: colours[0] ?? value('--qlik-chart-color-0'), othersColor: muted, nullColor: muted },
    // Charts coloured by dimension look their scheme up by key (`color.dimensionScheme`, '12' as
    // Qlik saves it; auto colouring takes the first palette's key): the kit's colours answer to
    // '12', and charts asking for another scheme fall back to the first palette, the kit's.
    palettes: { data: [{ name: 'embed-kit', propertyValue: '12', scale: colours, type: 'row' }], ui: [{ name: 'embed-kit', colors: colours }] },
    object: { title: { main: { color: value('--qlik-text-color') }, subTitle: { color: muted } } },
  };
}
