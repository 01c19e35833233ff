/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly QLIK_HOST?: string;
  readonly QLIK_CLIENT_ID?: string;
  readonly QLIK_APP_ID?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
