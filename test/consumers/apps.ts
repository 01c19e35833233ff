/**
 * The consumer apps: how each is generated (pinned generator versions), which README snippets
 * it is made of, how it is type-checked and built, and where its output lands.
 *
 * The README marks each snippet an app uses with `<!-- consumer-app: <app> <file> -->` on the
 * line before its code fence; the snippet is written into the app as it stands, with the
 * placeholders (tenant, client id, app id) replaced by the dev tenant's.
 */
import { readFileSync } from 'node:fs';
import type { AppTemplate } from './scaffold.ts';

export const CREATE_VITE = 'create-vite@9.3.0';
export const CREATE_NEXT_APP = 'create-next-app@16.4.3';
export const ANGULAR_CLI = '@angular/cli@21.2.27';

export interface ConsumerApp extends AppTemplate {
  /** Shell steps after the snippets are in: the framework's type check and production build. */
  build: string[][];
  /** Where the production build writes the static site. */
  output: string;
  /** Files the test adds that are not user code (build settings), besides the README snippets. */
  extraFiles?: Record<string, string>;
  /** JSON edits to files the generator wrote (path → edit). */
  edits?: Record<string, (json: Record<string, unknown>) => void>;
  /**
   * The framework's router reads the address before the page's modules (and so the kit) load, and
   * writes it back once started: then the response can come back into the address before the code
   * exchange, and the kit removes it again when the exchange ends. Without this, nothing may ever
   * write the response into the address.
   */
  routerReadsAddressFirst?: boolean;
}

const viteTemplate = (name: string, template: string, extraPackages: string[] = []): Pick<ConsumerApp, 'name' | 'generate' | 'extraPackages'> => ({
  name,
  generate: ['npx', '--yes', CREATE_VITE, 'app', '--template', template, '--no-interactive'],
  extraPackages,
});

export const CONSUMER_APPS: readonly ConsumerApp[] = [
  { ...viteTemplate('vite-vanilla-ts', 'vanilla-ts'), build: [['npm', 'run', 'build']], output: 'dist' },
  { ...viteTemplate('vite-vue-ts', 'vue-ts'), build: [['npm', 'run', 'build']], output: 'dist' },
  { ...viteTemplate('vite-react-ts', 'react-ts', ['@lit/react@1.0.8']), build: [['npm', 'run', 'build']], output: 'dist' },
  {
    name: 'next-app',
    generate: ['npx', '--yes', CREATE_NEXT_APP, 'app', '--ts', '--app', '--no-eslint', '--no-tailwind', '--no-src-dir', '--import-alias', '@/*', '--use-npm', '--skip-install', '--disable-git', '--yes', '--no-react-compiler'],
    extraPackages: ['@lit/react@1.0.8'],
    // A static export: the App Router pre-renders the page in Node, the browser hydrates it.
    extraFiles: {
      'next.config.ts': "import type { NextConfig } from 'next';\n\nconst config: NextConfig = { output: 'export' };\n\nexport default config;\n",
      // The generated layout fetches Google Fonts at build time; the test machine is offline.
      'app/layout.tsx': "export default function RootLayout({ children }: { children: React.ReactNode }) {\n  return (\n    <html lang=\"en\">\n      <body>{children}</body>\n    </html>\n  );\n}\n",
    },
    build: [['npm', 'run', 'build']],
    output: 'out',
    // The App Router reads the address when it hydrates, before it loads the page's client modules.
    routerReadsAddressFirst: true,
  },
  {
    name: 'angular',
    generate: ['npx', '--yes', ANGULAR_CLI, 'new', 'app', '--defaults', '--skip-git', '--skip-install', '--skip-tests', '--ssr=false', '--style=css'],
    // What the README says to do about enigma.js being CommonJS.
    edits: {
      'angular.json': (json) => {
        const projects = json.projects as Record<string, { architect: { build: { options: Record<string, unknown> } } }>;
        for (const project of Object.values(projects)) project.architect.build.options.allowedCommonJsDependencies = ['enigma.js'];
      },
    },
    build: [['npx', 'ng', 'build']],
    output: 'dist/app/browser',
  },
];

export interface Snippet {
  app: string;
  file: string;
  code: string;
}

/** Every `<!-- consumer-app: … -->` snippet in the README. */
export function readmeSnippets(readmePath: string): Snippet[] {
  const readme = readFileSync(readmePath, 'utf8');
  const snippets: Snippet[] = [];
  for (const match of readme.matchAll(/<!-- consumer-app: (\S+) (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)) {
    snippets.push({ app: match[1]!, file: match[2]!, code: `${match[3]}\n` });
  }
  return snippets;
}

export interface TenantValues {
  host: string;
  clientId: string;
  appId: string;
}

/** The snippet with the README's placeholders replaced. */
export function fillPlaceholders(code: string, values: TenantValues): string {
  return code
    .replaceAll('https://your-tenant.eu.qlikcloud.com', values.host)
    .replaceAll('<spa client id>', values.clientId)
    .replaceAll('<app id>', values.appId);
}

/** The README's nebula.js install: the `overrides` block a user adds and the packages the install command names. */
export interface NebulaInstall {
  overrides: Record<string, Record<string, string>>;
  packages: string[];
}

export function readmeNebulaInstall(readmePath: string): NebulaInstall {
  const readme = readFileSync(readmePath, 'utf8');
  const block = (marker: string): string => {
    const match = readme.match(new RegExp(`<!-- ${marker} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``));
    if (!match) throw new Error(`The README has no <!-- ${marker} --> block`);
    return match[1]!;
  };
  const { overrides } = JSON.parse(`{${block('nebula-overrides')}}`) as NebulaInstall;
  const [npm, install, ...packages] = block('nebula-install').trim().split(/\s+/);
  if (npm !== 'npm' || install !== 'install' || packages.length === 0) throw new Error(`The README's nebula install is not "npm install <packages>": ${block('nebula-install')}`);
  return { overrides, packages };
}
