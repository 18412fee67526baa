// The B-STaR card (issue 18): a self-play arm recorded over seeds replays like any arm — "Show the
// recording" imports both arms' seeds as stopped runs, and their self-play plots (held-out accuracy, the
// temperature B-STaR chose, exploration) draw the recorded iterations before anything trains here.
import { expect, test, type Page } from '@playwright/test';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('"Show the recording" of the B-STaR card draws its recorded iterations in the self-play plots', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('open-gallery').click();
  await expect(page.getByTestId('gallery')).toContainText('B-STaR');
  await page.getByTestId('gallery-replay-b-star').click();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute('data-status', 'stopped');
    await expect(row).toContainText('×3');
  }
  await expect(page.getByTestId('run-state')).not.toHaveAttribute('data-state', 'running');
  const plots = page.getByTestId('selfplay-plots');
  await expect(plots).toHaveAttribute('data-loop', 'self-consuming');
  // Iterations 0 … 6 of held-out accuracy; iterations 1 … 6 of the chosen temperature.
  await expect(page.getByTestId('selfplay-plot-heldout')).toHaveAttribute('data-points', '7');
  await expect(page.getByTestId('selfplay-plot-bstar')).toHaveAttribute('data-points', '6');
  await expect(page.getByTestId('selfplay-plot-explore_exploit')).toHaveAttribute('data-points', '6');
  expect(errors).toEqual([]);
});
