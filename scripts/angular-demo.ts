/**
 * Builds the Angular demo (demo/angular) with the Angular CLI's esbuild `application` builder.
 * The Angular packages have their own install there (`npm --prefix demo/angular install`), so the
 * root install stays free of them; `npm start` and the Angular journey both build through here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ANGULAR_DEMO_DIR = fileURLToPath(new URL('../demo/angular/', import.meta.url));
/**
 * `install`, not `ci`: the lock file lacks other platforms' optional binaries (@rollup/rollup-*,
 * @msgpackr-extract/*) because this machine's registry has no metadata for them, and `npm ci`
 * refuses such a lock. `install` follows the lock and leaves it unchanged.
 */
export const ANGULAR_INSTALL_COMMAND = 'npm --prefix demo/angular install';

/** The settings the demo reads at build time (demo/angular/src/config.ts). */
export interface AngularDemoSettings {
  QLIK_HOST?: string;
  QLIK_CLIENT_ID?: string;
  QLIK_APP_ID?: string;
}

export interface AngularBuildOptions {
  /** `ng build --output-path`; the app lands in `<outputPath>/browser`. */
  outputPath: string;
  settings?: AngularDemoSettings;
  configuration?: 'production' | 'development';
  /** The Angular project; default demo/angular. */
  projectDir?: string;
}

const ngBin = (projectDir: string) => join(projectDir, 'node_modules/@angular/cli/bin/ng.js');

/** Thrown when demo/angular has no install: the one thing to do is in the message. */
export class AngularNotInstalledError extends Error {
  readonly code = 'angular_not_installed';
  constructor(projectDir: string) {
    super(`${join(projectDir, 'node_modules')} is missing, so the Angular demo cannot be built. Run \`${ANGULAR_INSTALL_COMMAND}\` first (CI does).`);
    this.name = 'AngularNotInstalledError';
  }
}

export function angularInstalled(projectDir = ANGULAR_DEMO_DIR): boolean {
  return existsSync(ngBin(projectDir)) && existsSync(join(projectDir, 'node_modules/@angular/build'));
}

function ngArgs(options: AngularBuildOptions, extra: string[] = []): string[] {
  const projectDir = options.projectDir ?? ANGULAR_DEMO_DIR;
  // `--define` values are code: a quoted string literal, which JSON.stringify writes.
  const defines = Object.entries(options.settings ?? {})
    .filter(([, value]) => value !== undefined && value !== '')
    .flatMap(([name, value]) => ['--define', `${name}=${JSON.stringify(value)}`]);
  return [ngBin(projectDir), 'build', '--output-path', options.outputPath, '--configuration', options.configuration ?? 'production', ...defines, ...extra];
}

function spawnNg(options: AngularBuildOptions, extra: string[] = [], stdio: 'pipe' | 'inherit' = 'pipe'): ChildProcess {
  const projectDir = options.projectDir ?? ANGULAR_DEMO_DIR;
  if (!angularInstalled(projectDir)) throw new AngularNotInstalledError(projectDir);
  return spawn(process.execPath, ngArgs(options, extra), {
    cwd: projectDir,
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', NG_FORCE_TTY: 'false' },
    stdio: ['ignore', stdio, stdio],
  });
}

/** One `ng build`. Resolves with the CLI's output and the time taken; rejects with the output on failure. */
export function buildAngularDemo(options: AngularBuildOptions): Promise<{ output: string; ms: number }> {
  const started = performance.now();
  let child: ChildProcess;
  try {
    child = spawnNg(options);
  } catch (error) {
    return Promise.reject(error);
  }
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ output, ms: performance.now() - started });
      else reject(new Error(`ng build exited with ${code}:\n${output}`));
    });
  });
}

/** `ng build --watch` for `npm start`, printing to this terminal. Kill the returned process to stop. */
export function watchAngularDemo(options: AngularBuildOptions): ChildProcess {
  return spawnNg({ configuration: 'development', ...options }, ['--watch'], 'inherit');
}
