// The self-play-seeds card (issue 18): four self-play arms of two loops (SPIN and its SFT control,
// propose/solve with and without references) recorded over seeds replay like any arm — "Show the
// recording" imports every arm's seeds as stopped runs, and the self-play plots draw the recorded
// iterations of the active run's loop (the last arm imported: propose/solve) before anything trains here.
import { expect, test, type Page } from '@playwright/test';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('"Show the recording" of the self-play-seeds card imports its four arms of two loops and draws their iterations', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('open-gallery').click();
  await expect(page.getByTestId('gallery')).toContainText('Self-play over seeds');
  await page.getByTestId('gallery-replay-self-play-seeds').click();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(4);
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute('data-status', 'stopped');
    await expect(row).toContainText('×3');
  }
  await expect(page.getByTestId('run-state')).not.toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('selfplay-plots')).toHaveAttribute('data-loop', 'propose-solve');
  // Propose/solve: iterations 1 … 20 of the valid proposals.
  await expect(page.getByTestId('selfplay-plot-validity_rate')).toHaveAttribute('data-points', '20');
  expect(errors).toEqual([]);
});
