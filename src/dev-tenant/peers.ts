/** The dev tenant's optional peer dependencies: checked, then loaded. */

/** The packages the dev tenant imports that a browser-only install of embed-kit does not have. */
const DEV_TENANT_PEERS = ['oidc-provider', 'ws'] as const;

/** `embed-kit/dev-tenant` was imported without its server packages. Code `missing_peer_dependency`. */
export class MissingPeerDependencyError extends Error {
  readonly code = 'missing_peer_dependency';
  /** The packages to install. */
  readonly missing: readonly string[];
  readonly hint: string;

  constructor(missing: readonly string[]) {
    const install = `npm install --save-dev ${missing.join(' ')}`;
    super(`embed-kit/dev-tenant needs ${missing.join(' and ')}, which are not installed.`);
    this.name = 'MissingPeerDependencyError';
    this.missing = missing;
    this.hint = `Run \`${install}\`. They are optional peer dependencies of embed-kit, so that browser-only installs carry no server code.`;
  }
}

/** The peers that do not resolve from here (`resolve` is a seam for tests). */
export function missingPeers(resolve: (specifier: string) => string = (specifier) => import.meta.resolve(specifier)): string[] {
  return DEV_TENANT_PEERS.filter((name) => {
    try {
      resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * oidc-provider 9 warns "Unsupported runtime" on any Node release older than 22 LTS. embed-kit
 * supports Node 20.19+, and its dev tenant is tested on it; the warning would only alarm users,
 * so this one line is dropped while oidc-provider loads (every other warning passes through).
 */
const UNSUPPORTED_RUNTIME = 'oidc-provider WARNING: Unsupported runtime.';

/** Loads the dev tenant, after checking its peers; throws `MissingPeerDependencyError` naming the missing ones. */
export async function loadDevTenant(): Promise<typeof import('./index.ts')> {
  const missing = missingPeers();
  if (missing.length > 0) throw new MissingPeerDependencyError(missing);
  const warn = console.warn;
  const supported = isSupportedNode(process.versions.node);
  console.warn = (...args: unknown[]) => {
    // On a terminal the line comes wrapped in colour codes, hence `includes`.
    if (supported && typeof args[0] === 'string' && args[0].includes(UNSUPPORTED_RUNTIME)) return;
    warn(...args);
  };
  try {
    return await import('./index.ts');
  } finally {
    console.warn = warn;
  }
}

/** Node 20.19+ (the `engines` range). */
export function isSupportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 20 || (major === 20 && minor >= 19);
}
