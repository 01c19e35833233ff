import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import litA11y from 'eslint-plugin-lit-a11y';
import globals from 'globals';

const nodeOnly = ['node:*', 'ws', 'oidc-provider', 'koa', '**/server/**', '**/dev-tenant/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'demo/**/dist/**', 'demo/angular/node_modules/**', 'custom-elements.json'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/elements/**/*.ts', 'src/*.ts'],
    ...litConfigs['flat/recommended'],
  },
  {
    files: ['src/elements/**/*.ts', 'src/*.ts'],
    ...wcConfigs['flat/recommended'],
  },
  {
    files: ['src/elements/**/*.ts'],
    plugins: { 'lit-a11y': litA11y },
    rules: litA11y.configs.recommended.rules,
  },
  {
    // Browser code never imports Node code, and the core never imports lit.
    files: ['src/auth/**/*.ts', 'src/qlik/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nodeOnly, 'lit', 'lit/*', '@lit/*', '**/elements/**'] }],
    },
  },
  {
    // The Qlik core is DOM-free: elements wire it to the page, so it runs (and is tested) without one.
    files: ['src/qlik/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['document', 'window', 'customElements', 'HTMLElement', 'ShadowRoot', 'MutationObserver', 'ResizeObserver', 'IntersectionObserver', 'getComputedStyle', 'requestAnimationFrame'].map((name) => ({
          name,
          message: 'src/qlik is DOM-free: take what you need as an argument, or do this in src/elements.',
        })),
      ],
    },
  },
  {
    files: ['src/elements/**/*.ts', 'src/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: nodeOnly }] },
  },
  {
    // Node code never imports browser code.
    files: ['src/server/**/*.ts', 'src/dev-tenant/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['lit', 'lit/*', '@lit/*', '**/elements/**', '**/auth/**', '**/qlik/**'] }],
    },
  },
  {
    // Tests reach into shadow roots they just rendered; a failed lookup fails the test anyway.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
