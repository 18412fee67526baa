// Projector and embed modes (issue 19 item 4), chosen by ?mode= while the hash carries the experiment.
// A small run (2 prompts × 4 samples, no periodic evaluation) so a step is quick on SwiftShader.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import LZString from 'lz-string';

const experiment = `#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify({ seed: 5, algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 }, run: { evalEvery: 0 } }))}`;

test('projector: light high-contrast chrome; Space plays and pauses (not while typing); F puts a chart in full screen', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(`/?mode=projector${experiment}`);
  const root = page.getByTestId('app-root');
  await expect(root).toHaveAttribute('data-mode', 'projector');
  await expect(page.getByTestId('plot-reward')).toBeVisible();
  const look = await page.evaluate(() => ({
    page: getComputedStyle(document.documentElement).backgroundColor,
    app: getComputedStyle(document.querySelector('.app')!).backgroundColor,
    fontSize: parseFloat(getComputedStyle(document.documentElement).fontSize),
  }));
  expect(look.page).toBe('rgb(255, 255, 255)');
  expect(look.app).toBe('rgb(255, 255, 255)');
  expect(look.fontSize).toBeGreaterThanOrEqual(18);

  const state = page.getByTestId('run-state');
  await expect(state).toHaveAttribute('data-state', 'idle');
  // A Space typed into an input is text, not Play.
  await page.getByTestId('seed').focus();
  await page.keyboard.press('Space');
  await page.waitForTimeout(500);
  await expect(state).toHaveAttribute('data-state', 'idle');
  await page.getByTestId('seed').blur();

  await page.keyboard.press('Space');
  await expect(state).toHaveAttribute('data-state', 'running', { timeout: 120_000 });
  await page.keyboard.press('Space');
  await expect(state).toHaveAttribute('data-state', 'paused', { timeout: 120_000 });
  mkdirSync('docs/screenshots', { recursive: true });
  await page.screenshot({ path: 'docs/screenshots/projector.png' }); // the README's picture of projector mode

  await page.keyboard.press('f');
  const fullscreen = () =>
    page.evaluate(() => ({
      api: document.fullscreenElement?.getAttribute('data-testid') ?? null,
      css: document.querySelector('figure.chart.chart-fullscreen')?.getAttribute('data-testid') ?? null,
    }));
  await expect.poll(async () => (await fullscreen()).css).toMatch(/^plot-/);
  const chart = page.locator('figure.chart.chart-fullscreen');
  const box = (await chart.boundingBox())!;
  expect(box.width).toBeGreaterThanOrEqual(1200); // the window is 1280 wide
  await page.keyboard.press('Escape');
  await expect.poll(async () => fullscreen()).toEqual({ api: null, css: null });
});

test('embed: no config column, runs panel or footer; the backend chip and a link to the lab', async ({ page }) => {
  await page.goto(`/?mode=embed${experiment}`);
  await expect(page.getByTestId('app-root')).toHaveAttribute('data-mode', 'embed');
  await expect(page.getByTestId('plot-reward')).toBeVisible();
  await expect(page.getByTestId('backend-chip')).toBeVisible();
  await expect(page.getByTestId('play')).toBeVisible();
  await expect(page.locator('.config-column')).toHaveCount(0);
  await expect(page.getByTestId('config-field-lr')).toHaveCount(0);
  await expect(page.locator('.app-footer')).toHaveCount(0);
  await expect(page.locator('.runs-panel')).toHaveCount(0);
  await expect(page.getByTestId('intro-header')).toHaveCount(0);
  const href = (await page.getByTestId('open-in-lab').getAttribute('href'))!;
  expect(href).not.toContain('mode=');
  expect(href).toContain('#v=1');
  // The lab it opens is the full page with the same experiment.
  await page.goto(href);
  await expect(page.getByTestId('app-root')).toHaveAttribute('data-mode', 'lab');
  await expect(page.getByTestId('config-field-promptsPerStep')).toHaveValue('2');
  await expect(page.getByTestId('seed')).toHaveValue('5');
});

test('the lab ignores the projector keys', async ({ page }) => {
  await page.goto(`/${experiment}`);
  await expect(page.getByTestId('plot-reward')).toBeVisible();
  await page.keyboard.press('f');
  await page.keyboard.press('Space');
  await page.waitForTimeout(800);
  await expect(page.locator('figure.chart.chart-fullscreen')).toHaveCount(0);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'idle');
});

// The projector's light theme recolours a dark page: axe checks its contrast, and the embed's and
// Basic view's landmarks.
for (const link of ['/?mode=projector', '/?mode=embed', '/?view=basic']) {
  test(`${link} has no serious or critical axe violation`, async ({ page }) => {
    await page.goto(link);
    await expect(page.getByTestId('plot-reward')).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
    expect(serious).toEqual([]);
  });
}
