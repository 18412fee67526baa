// "Compare with…" on a run (issue 19): its twin with one setting changed starts at once, labelled by the
// difference, and both runs finish side by side in the Runs panel; a value the schema refuses says why
// and starts nothing. A 3-step run of 2 prompts × 4 samples, no periodic evaluation (SwiftShader).
import { expect, test } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;
const SMALL = { algorithm: { promptsPerStep: 2, samplesPerPrompt: 4, lr: 0.003 }, run: { steps: 3, evalEvery: 0 } };

test('"Compare with…" starts a run\'s twin with one setting changed, labelled by the difference', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(link(SMALL));
  await page.getByTestId('play').click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-status', 'stopped', { timeout: 180_000 });
  await expect(rows.first()).toHaveAttribute('data-steps', '3');

  await rows.first().getByTestId('run-compare-with').click();
  const dialog = page.getByTestId('compare-with');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('compare-with-field').selectOption('algorithm.lr');
  await expect(dialog.getByTestId('compare-with-value')).toHaveValue('0.003');
  // A value that is not one: said, nothing starts.
  await dialog.getByTestId('compare-with-value').fill('fast');
  await dialog.getByTestId('compare-with-start').click();
  await expect(dialog.getByTestId('compare-with-problems')).toContainText('not a number');
  await expect(rows).toHaveCount(1);

  await dialog.getByTestId('compare-with-value').fill('0.01');
  await dialog.getByTestId('compare-with-start').click();
  await expect(dialog).toHaveCount(0);
  await expect(rows).toHaveCount(2);
  const labels = await page.getByTestId('run-label').allTextContents();
  expect(labels.filter((l) => l.startsWith('lr=0.01 (twin of '))).toHaveLength(1);
  // The twin runs the changed config (now the editor's) to its end.
  await expect(page.getByTestId('config-field-lr')).toHaveValue('0.01');
  await expect.poll(() => rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-status'))), { timeout: 180_000 }).toEqual(['stopped', 'stopped']);
  expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-steps')))).toEqual(['3', '3']);
  expect(errors).toEqual([]);
});
