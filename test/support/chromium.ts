import { existsSync } from 'node:fs';

/** Where Debian and other distributions put Chromium. We never download a browser. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const CHROMIUM_MISSING =
  'No Chromium found. Install Debian\'s package with `sudo apt-get install -y chromium` ' +
  '(or point CHROME_PATH at a Chromium/Chrome binary). The tests never download a browser.';

export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CANDIDATES.find((path) => existsSync(path));
}

/**
 * Flags for headless Chromium on these machines: --no-sandbox because CI runs as root,
 * and no background networking because the network is closed.
 */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
