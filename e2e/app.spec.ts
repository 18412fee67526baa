// The app shell loads in real Chromium and finds a WebGPU adapter. CI machines have no GPU but
// Chromium's SwiftShader still gives a real adapter, so a missing adapter here is a failure, not a skip.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const screenshotPath = 'docs/screenshots/main.png';

test('the app loads and reports a WebGPU adapter', async ({ page }, testInfo) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console.error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) pageErrors.push(`HTTP ${response.status()}: ${response.url()}`);
  });

  await page.goto('/');
  await expect(page).toHaveTitle('RLVR Lab');
  await expect(page.getByRole('heading', { level: 1, name: 'RLVR Lab' })).toBeVisible();

  const status = page.getByTestId('webgpu-status');
  await expect(status).toHaveAttribute('data-state', 'done');
  // On failure, show what the page said instead of just "expected webgpu, got cpu".
  const backend = await status.getAttribute('data-backend');
  expect(backend, `WebGPU adapter missing; the page says: ${await status.innerText()}`).toBe('webgpu');

  const adapter = await status.getAttribute('data-adapter');
  expect(adapter, 'the adapter should have a name (architecture, vendor or description)').toBeTruthy();
  await expect(page.getByTestId('adapter-vendor')).not.toHaveText('');
  // The details live in the top bar's backend chip: open it.
  await page.getByTestId('backend-chip').click();
  // The key features are listed whether present or not, each saying which.
  for (const feature of ['shader-f16', 'subgroups', 'timestamp-query']) {
    await expect(page.locator(`[data-feature="${feature}"]`)).toHaveAttribute('data-present', /^(true|false)$/);
  }
  await expect(page.getByRole('rowheader', { name: 'maxComputeWorkgroupStorageSize' })).toBeVisible();

  testInfo.annotations.push({
    type: 'adapter',
    description: `${adapter} (${await status.getAttribute('data-vendor')}); features: ${await status.getAttribute('data-features')}`,
  });

  // The screenshot shows the whole page at rest: backend details closed, the layout complete.
  await page.getByTestId('backend-chip').click();
  await expect(page.getByRole('rowheader', { name: 'maxComputeWorkgroupStorageSize' })).toBeHidden();
  await expect(page.getByTestId('preset-select')).toBeVisible();
  await expect(page.getByTestId('section-algorithm')).toBeVisible();
  mkdirSync(dirname(screenshotPath), { recursive: true });
  const screenshot = await page.screenshot({ path: screenshotPath, fullPage: true });
  await testInfo.attach('main view', { body: screenshot, contentType: 'image/png' });

  expect(pageErrors, 'the page should load without errors').toEqual([]);
});

test('without WebGPU the page says the CPU backend will be used', async ({ page }) => {
  // Simulate a browser without WebGPU: hide navigator.gpu before any page script runs.
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
  });
  await page.goto('/');
  const status = page.getByTestId('webgpu-status');
  await expect(status).toHaveAttribute('data-state', 'done');
  await expect(status).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('backend-chip')).toContainText('CPU fallback');
  // Closed until asked (issue 19: it used to open itself over the charts); the chip opens it.
  await expect(status).toBeHidden();
  await page.getByTestId('backend-chip').click();
  await expect(status).toBeVisible();
  await expect(status).toContainText('WebGPU is unavailable');
  await expect(status).toContainText('CPU backend');
  await expect(status).not.toContainText('much more slowly');
});
