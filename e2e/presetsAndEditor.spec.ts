// Issue 19's bugs in the configuration, driven in the built app: switching presets gives exactly the
// new preset's experiment (and its link), and "Your code" opens on a template that can be tested at once.
import { expect, test } from '@playwright/test';
import { presetConfig } from '../src/experiment/presets';
import { encodeExperiment } from '../src/experiment/urlCodec';

test('switching presets A → B gives exactly B: its reward, arms and curriculum, and its link', async ({ page }) => {
  await page.goto('/');
  const select = page.getByTestId('preset-select');
  // reward-hacking sets a weighted proxy reward and its own arms; curriculum-dump sets neither.
  await select.selectOption('reward-hacking');
  await expect.poll(() => page.evaluate(() => location.hash)).toBe(encodeExperiment(presetConfig('reward-hacking')));
  await expect(page.getByTestId('config-field-reward-weighted')).toBeChecked();
  await select.selectOption('curriculum-dump');
  await expect.poll(() => page.evaluate(() => location.hash)).toBe(encodeExperiment(presetConfig('curriculum-dump')));
  await expect(page.getByTestId('config-field-reward-verifier')).toBeChecked();
  expect(presetConfig('curriculum-dump').reward.kind).toBe('verifier');
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
  await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(encodeExperiment(presetConfig('default')));
  await page.getByTestId('reset-settings').click();
  await expect.poll(() => page.evaluate(() => location.hash)).toBe(encodeExperiment(presetConfig('default')));
  await expect(page.getByTestId('run-state')).toContainText(`0/${presetConfig('default').run.steps} steps done`);
  await expect(page.getByTestId('run-row')).toHaveCount(0); // resetting settings starts no run
});
