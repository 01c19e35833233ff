/** The sn-* chart packages ship no typings; stardust only needs the module's default export. */
declare module '@nebula.js/sn-bar-chart';
declare module '@nebula.js/sn-combo-chart';
declare module '@nebula.js/sn-filter-pane';
declare module '@nebula.js/sn-kpi';
declare module '@nebula.js/sn-line-chart';
declare module '@nebula.js/sn-pie-chart';
declare module '@nebula.js/sn-pivot-table';
declare module '@nebula.js/sn-scatter-plot';
declare module '@nebula.js/sn-table';
