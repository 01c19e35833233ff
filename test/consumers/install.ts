/** What an install of embed-kit contains, for the consumers stage and `npm run bench`. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Packages only the dev tenant, the backend helper or the React wrappers use. A browser-only
 * install must have none of them: they are optional peer dependencies.
 */
export const SERVER_ONLY_PACKAGES: readonly string[] = ['oidc-provider', 'koa', 'koa-compose', 'cookies', 'ws', '@types/react', '@lit/react', 'react', 'react-dom'];

export interface InstalledPackage {
  name: string;
  version: string;
  /** Bytes on disk (files only). */
  bytes: number;
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') total += directoryBytes(path);
    } else if (entry.isFile()) {
      total += statSync(path).size;
    }
  }
  return total;
}

/** Every package under `nodeModules`, nested ones included. */
export function installedPackages(nodeModules: string): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  const visit = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        visit(path);
        continue;
      }
      const manifest = join(path, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; version: string };
      found.push({ name, version, bytes: directoryBytes(path) });
      visit(join(path, 'node_modules'));
    }
  };
  visit(nodeModules);
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The package's browser entry points, as import specifiers: every export with JavaScript, but
 * not the Node ones (`server`, `dev-tenant`) nor the React wrappers (which need React).
 */
export function browserEntryPoints(packageJson: { exports: Record<string, unknown> }): string[] {
  return Object.entries(packageJson.exports)
    .filter(([, target]) => typeof target === 'object' && target !== null && 'import' in target)
    .map(([path]) => path.replace(/^\./, 'embed-kit'))
    .filter((specifier) => !['embed-kit/server', 'embed-kit/dev-tenant', 'embed-kit/react'].includes(specifier));
}
