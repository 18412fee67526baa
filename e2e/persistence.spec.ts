// Runs survive a reload: a run started with Play records a few steps, and after a reload the runs
// panel shows it with every step up to the last completed one — the same count on the run row and
// on the reward chart (no gap), and the same last numbers.
import { expect, test } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;

test('a reload shows every recorded step of a run', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(link({ seed: 5, algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 }, run: { evalEvery: 0 } }));
  const state = page.getByTestId('run-state');
  const step = async () => Number(await state.getAttribute('data-step'));
  await page.getByTestId('play').click();
  await expect.poll(step, { timeout: 180_000 }).toBeGreaterThanOrEqual(3);
  await page.getByTestId('pause').click();
  await expect(state).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });

  const row = page.getByTestId('run-row');
  await expect(row).toHaveCount(1);
  const steps = String(await step());
  await expect(row).toHaveAttribute('data-steps', steps);
  const plot = page.getByTestId('plot-reward');
  await expect(plot).toHaveAttribute('data-points', steps);
  const before = await row.evaluate((li) => ({ id: li.dataset.runId, loss: li.dataset.lastLoss, reward: li.dataset.lastReward }));

  await page.waitForTimeout(1000); // the store writes a few times a second
  await page.reload();
  await expect(row).toHaveCount(1, { timeout: 30_000 });
  await expect(row).toHaveAttribute('data-steps', steps);
  await expect(row.locator('.run-steps')).toHaveText(`${steps} steps`);
  await expect(plot).toHaveAttribute('data-points', steps);
  expect(await row.evaluate((li) => ({ id: li.dataset.runId, loss: li.dataset.lastLoss, reward: li.dataset.lastReward }))).toEqual(before);
  expect(errors).toEqual([]);
});
