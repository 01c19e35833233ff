// tsc sees a .vue import as a component; vite (@vitejs/plugin-vue) compiles the file itself.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
