// axe-core on the lab's views (issue 19): no serious or critical violation on the main view (with the
// reward editor open, where the "changed" dot used to carry a prohibited aria-label), the gallery and
// the sample inspector's panel (after a step, with a token's "Explain this number" open).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

test('the main view, with the reward editor open, has no serious or critical axe violation', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('config-field-reward-code').check();
  await expect(page.getByTestId('reward-editor').locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });
  expect(await seriousViolations(page)).toEqual([]);
});

test('the gallery has no serious or critical axe violation', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('open-gallery').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the sample inspector, with "Explain this number" open, has no serious or critical axe violation', async ({ page }) => {
  test.setTimeout(180_000);
  const payload = { algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 }, run: { evalEvery: 0 } };
  await page.goto(`/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`);
  await page.getByTestId('step-once').click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-step', '1', { timeout: 150_000 });
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  const inspector = page.getByTestId('sample-inspector');
  await inspector.getByTestId('token-chip').first().click();
  await expect(inspector.getByTestId('explain-panel')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
