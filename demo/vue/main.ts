import { createApp } from 'vue';
// Registers <auth-login>, <qlik-dashboard> and <qlik-object>. Vue itself only needs to know they
// are custom elements: `isCustomElement` in demo/vite-plugins.ts.
import 'embed-kit/define';
import App from './App.vue';

createApp(App).mount('#app');
