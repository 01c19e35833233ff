// The sn-* chart packages ship JavaScript only; the page hands their modules to nebula.js as they are.
declare module '@nebula.js/sn-*';
