/**
 * Fresh consumer apps, as a new user makes them: each generator runs from the registry at a
 * pinned version, then `npm install` brings the app's own dependencies and the packed embed-kit.
 * That much is cached between runs (outside the repository, keyed by everything it depends on);
 * every run works in its own copy, whose node_modules are hard links into the cache, and installs
 * the fresh tarball into that copy.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where templates are cached: shared by every checkout on the machine. */
export const CACHE_ROOT = process.env.EMBED_KIT_CONSUMER_CACHE ?? join(tmpdir(), 'embed-kit-consumer-apps');

export interface CommandResult {
  code: number;
  output: string;
}

/** Runs a command, collecting stdout and stderr together; never throws. */
export function exec(cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CommandResult> {
  // An in-process Vite build (the bench makes several) sets NODE_ENV=production, with which npm
  // would leave out the app's devDependencies (Vite itself): the apps get the shell's default.
  const inherited = { ...process.env };
  delete inherited.NODE_ENV;
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: { ...inherited, npm_config_update_notifier: 'false', NEXT_TELEMETRY_DISABLED: '1', NG_CLI_ANALYTICS: 'false', CI: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      output += `\n[killed after ${options.timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 600_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 1, output: `${output}\n${String(error)}` });
    });
  });
}

/** Runs a command and throws with its output when it fails. */
export async function mustRun(what: string, cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<string> {
  const result = await exec(cmd, args, options);
  if (result.code !== 0) throw new Error(`${what} failed (${cmd} ${args.join(' ')}, exit ${result.code}):\n${result.output.slice(-6000)}`);
  return result.output;
}

export interface AppTemplate {
  /** Directory name, e.g. `vite-vanilla-ts`. */
  name: string;
  /** The generator command, run in an empty directory; it must create `./app`. Pinned versions only. */
  generate: string[];
  /** Packages the README tells this framework's users to install besides embed-kit. */
  extraPackages?: string[];
}

/** Everything the cached install depends on: the generator, the extras, embed-kit's own dependency ranges, Node's major. */
function cacheKey(template: AppTemplate, packageJson: string): string {
  const { dependencies, peerDependencies } = JSON.parse(readFileSync(packageJson, 'utf8')) as Record<string, unknown>;
  const hash = createHash('sha256')
    .update(JSON.stringify([template.generate, template.extraPackages ?? [], dependencies, peerDependencies, process.versions.node.split('.')[0]]))
    .digest('hex')
    .slice(0, 12);
  return `${template.name}-${hash}`;
}

/**
 * The cached app for `template`: generated and installed once (with `tarball`, so embed-kit's
 * dependencies are in place), then reused. Concurrent runs each build their own and the first
 * rename wins.
 */
export async function cachedTemplate(template: AppTemplate, tarball: string, packageJson: string): Promise<string> {
  const dir = join(CACHE_ROOT, cacheKey(template, packageJson));
  if (existsSync(join(dir, '.ready'))) return dir;
  mkdirSync(CACHE_ROOT, { recursive: true });
  const scratch = mkdtempSync(join(CACHE_ROOT, `.${template.name}-`));
  try {
    const [cmd = 'npx', ...args] = template.generate;
    await mustRun(`scaffolding ${template.name}`, cmd, args, { cwd: scratch, timeoutMs: 300_000 });
    const app = join(scratch, 'app');
    await mustRun(`installing ${template.name}`, 'npm', ['install', '--no-audit', '--no-fund', tarball, ...(template.extraPackages ?? [])], { cwd: app, timeoutMs: 600_000 });
    writeFileSync(join(app, '.ready'), new Date().toISOString());
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(app, dir);
    } catch (error) {
      if (!existsSync(join(dir, '.ready'))) throw error;
    }
    return dir;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * A private copy of a cached app in `parent`: its files copied, its node_modules hard-linked
 * (npm and the builds replace files rather than write into them), then the fresh tarball
 * installed into it.
 */
export async function freshCopy(template: string, parent: string, name: string, tarball: string): Promise<string> {
  const app = join(parent, name);
  mkdirSync(app, { recursive: true });
  for (const entry of readdirSync(template)) {
    if (entry === 'node_modules' || entry === '.ready') continue;
    cpSync(join(template, entry), join(app, entry), { recursive: true });
  }
  await mustRun('linking node_modules', 'cp', ['-al', join(template, 'node_modules'), join(app, 'node_modules')], { cwd: parent });
  // npm rewrites its hidden lockfile in place, which would write through the link into the cache.
  rmSync(join(app, 'node_modules/.package-lock.json'), { force: true });
  await mustRun(`installing the tarball into ${name}`, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app, timeoutMs: 300_000 });
  return app;
}

/** A scratch directory for one run, outside the repository. */
export function runDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'embed-kit-consumers-'));
}
