// Finds the Chromium binary used by every browser test runner (Vitest browser mode, Playwright e2e,
// the benchmark). `npx playwright install` cannot download browsers on our machines, so we always
// point at an installed one. CHROMIUM_PATH overrides, so a laptop can use its own Chrome.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  for (const path of candidates) if (existsSync(path)) return path;
  try {
    const found = execSync('command -v chromium || command -v chromium-browser', { encoding: 'utf8' }).trim();
    if (found) return found;
  } catch {
    // fall through to the explanatory error
  }
  throw new Error(
    'No Chromium found. Install one (Debian/Ubuntu: `apt-get install -y chromium`) or set CHROMIUM_PATH ' +
      'to a Chrome/Chromium binary with WebGPU support.',
  );
}

/** Flags that give a WebGPU adapter headless (SwiftShader on GPU-less machines) on a closed network. */
export const chromiumWebGpuArgs = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
