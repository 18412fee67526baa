// Issue 19's bugs in the configuration, driven in the built app: switching presets gives exactly the
// new preset's experiment (and its link), and "Your code" opens on a template that can be tested at once.
import { expect, test, type Page } from '@playwright/test';
import { createRequire } from 'node:module';

// lz-string is CommonJS; Playwright's loader needs it required, not imported by name.
const { decompressFromEncodedURIComponent } = createRequire(import.meta.url)('lz-string') as { decompressFromEncodedURIComponent(s: string): string | null };

/** The link's payload: only what differs from its preset (a preset's own link carries just its id). */
async function linkPayload(page: Page): Promise<unknown> {
  const hash = await page.evaluate(() => location.hash);
  // Not URLSearchParams: it would turn the payload's '+' into spaces.
  const x = hash.slice(1).split('&').find((part) => part.startsWith('x='))?.slice(2);
  return x === undefined ? {} : (JSON.parse(decompressFromEncodedURIComponent(x) ?? 'null') as unknown);
}

/** The keys of the link's payload other than `preset`: none when the experiment is its preset's. */
async function changedKeys(page: Page): Promise<string[]> {
  return Object.keys((await linkPayload(page)) as object).filter((k) => k !== 'preset');
}

test('switching presets A → B gives exactly B: its reward, arms and curriculum, and its link', async ({ page }) => {
  await page.goto('/');
  const select = page.getByTestId('preset-select');
  // reward-hacking sets a weighted proxy reward and its own arms; curriculum-dump sets neither.
  await select.selectOption('reward-hacking');
  await expect.poll(() => linkPayload(page)).toEqual({ preset: 'reward-hacking' });
  await expect(page.getByTestId('config-field-reward-weighted')).toBeChecked();
  await select.selectOption('curriculum-dump');
  await expect.poll(() => linkPayload(page)).toEqual({ preset: 'curriculum-dump' });
  await expect(page.getByTestId('config-field-reward-verifier')).toBeChecked();
});

test('"Your code" opens on a template, and "Test" works at once', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('config-field-reward-code').check();
  await expect(page.getByTestId('reward-editor').locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('reward-editor')).toContainText('function reward');
  const test = page.getByTestId('test-reward');
  await expect(test).toBeEnabled();
  await test.click();
  await expect(page.getByTestId('test-reward-output')).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
});

test('"Reset settings" puts every setting back to the preset; the top bar counts steps done', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('config-field-lr').fill('0.004');
  await page.getByTestId('config-field-lr').press('Enter');
  await expect.poll(() => changedKeys(page)).toEqual(['algorithm']);
  await page.getByTestId('reset-settings').click();
  await expect.poll(() => changedKeys(page)).toEqual([]);
  await expect(page.getByTestId('run-state')).toContainText('0/300 steps done');
  await expect(page.getByTestId('run-row')).toHaveCount(0); // resetting settings starts no run
});

test('a field\'s "?" is a button: it opens its help by tap or keyboard', async ({ page }) => {
  await page.goto('/');
  const mark = page.getByTestId('help-lr');
  await expect(mark).toHaveAttribute('aria-expanded', 'false');
  await mark.click();
  await expect(page.getByTestId('help-text-lr')).toBeVisible();
  await mark.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('help-text-lr')).toHaveCount(0);
  await expect(mark).toHaveAttribute('aria-expanded', 'false');
});
