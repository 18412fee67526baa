// End-to-end tests against the *built* app (`vite build` runs first in `npm run test:e2e`), served by
// `vite preview`, in the system Chromium with WebGPU enabled (SwiftShader on GPU-less machines).
import { defineConfig, devices } from '@playwright/test';
import { chromiumPath, chromiumWebGpuArgs } from './tools/chromium';

// E2E_PORT lets two checkouts (git worktrees) run their e2e suites side by side.
const port = Number(process.env.E2E_PORT ?? 4173);
const isCI = !!process.env.CI;

/** Specs that train for several steps (tens of seconds of SwiftShader each): one at a time. */
const TRAINING_SPECS = [
  'tabs', 'armQueue', 'selfplay', 'selfplayPersistence', 'sftWarmup', 'seeds', 'persistence', 'curriculum', 'compareWith', 'inspector',
].map((name) => `**/${name}.spec.ts`);
/** Specs that measure the page's responsiveness: run alone, after the others. */
const SOLO_SPECS = ['**/training.spec.ts'];

const browser = {
  ...devices['Desktop Chrome'],
  viewport: { width: 1280, height: 800 },
  launchOptions: { executablePath: chromiumPath(), args: chromiumWebGpuArgs },
};

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  // Two browsers at a time, one per project below: a spec that trains for many steps (SwiftShader's GPU
  // threads busy for seconds) beside one that mostly renders and clicks. Two training specs at once
  // would only share the cores; each project on its own runs its specs one at a time.
  workers: 2,
  forbidOnly: isCI,
  retries: 0, // a flaky WebGPU test is a bug to fix, not to retry
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list']], // ends with the pass/fail counts, the last lines of `npm test`
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'chromium-webgpu', testMatch: TRAINING_SPECS, workers: 1, use: browser },
    { name: 'chromium-webgpu-ui', testIgnore: [...TRAINING_SPECS, ...SOLO_SPECS], workers: 1, use: browser },
    // Last, with no other browser running: training.spec bounds main-thread task times, which a second
    // browser on the same two cores would stretch (a 744 ms wall-clock task beside one, against 190 alone).
    { name: 'chromium-webgpu-solo', testMatch: SOLO_SPECS, dependencies: ['chromium-webgpu', 'chromium-webgpu-ui'], use: browser },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !isCI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
