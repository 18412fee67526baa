// A configuration far beyond what a tab can do asks before it starts, and says what it would cost
// (issue 20, class 9): the largest valid one once ran to 6.6 GB and was still at step 0 after 150 s.
import { expect, test } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;

test('the largest configuration shows its estimated cost and starts only if confirmed', async ({ page }) => {
  await page.goto(link({ algorithm: { promptsPerStep: 256, samplesPerPrompt: 64, maxNewTokens: 32, ppoEpochs: 8, dynamicSampling: true, dynamicSamplingMaxTries: 10 } }));
  await page.getByTestId('play').click();
  const dialog = page.getByTestId('cost-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('cost-memory')).toHaveText(/^\d+\.\d GB$/);
  await expect(page.getByTestId('cost-reasons')).toContainText('16,384 sequences per step');
  await expect(page.getByTestId('cost-reasons')).toContainText('of GPU memory (more than 1.0 GB)');
  await expect(page.getByTestId('cost-step-time')).toHaveText(/\d/);
  // Nothing started while it asks, and Cancel starts nothing.
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('run-row')).toHaveCount(0);
  await page.getByTestId('cost-cancel').click();
  await expect(dialog).toHaveCount(0);
  await page.waitForTimeout(500);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('run-row')).toHaveCount(0);
  // "Step" asks too.
  await page.getByTestId('step-once').click();
  await expect(dialog).toBeVisible();
});

test('an ordinary configuration starts without asking', async ({ page }) => {
  await page.goto(link({ algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 }, run: { evalEvery: 0 } }));
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('cost-dialog')).toHaveCount(0);
});
