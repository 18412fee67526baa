// A lesson's instant replay (issue 19): at its run step, "Show the recording" draws the gallery card's
// recorded seeds in the plots before any training step; a lesson whose card is not recorded yet says so.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const LESSONS_WITH_CARDS = ['pass-at-k', 'entropy-clip-higher', 'kl', 'positive-negative', 'curricula', 'reward-hacking'];

for (const id of LESSONS_WITH_CARDS) {
  test(`lesson ${id}: the recording shows points before any training step`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`/?lesson=${id}&step=1`);
    await expect(page.getByTestId('lesson-panel')).toHaveAttribute('data-kind', 'run');
    const replay = page.getByTestId('lesson-replay');
    if ((await replay.count()) === 0) {
      await expect(page.getByTestId('lesson-panel')).toContainText('no recording of this yet');
      return;
    }
    await replay.click();
    await expect(page.getByTestId('lesson-replay-note')).toContainText('Showing the recording');
    const rows = page.getByTestId('run-row');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(1);
    for (const row of await rows.all()) {
      await expect(row).toHaveAttribute('data-status', 'stopped');
      expect(Number(await row.getAttribute('data-steps'))).toBeGreaterThan(0);
      expect(Number(await row.getAttribute('data-seeds'))).toBe(3);
    }
    // Nothing trained: the run state never left idle.
    await expect(page.getByTestId('run-state')).not.toHaveAttribute('data-state', 'running');
    if (id === 'kl') {
      // The README's picture of a lesson: its "look" step over the recorded curves.
      await page.getByTestId('lesson-panel').locator('h2').click();
      await page.keyboard.press('ArrowRight');
      await expect(page.getByTestId('lesson-panel')).toHaveAttribute('data-kind', 'look');
      mkdirSync('docs/screenshots', { recursive: true });
      await page.screenshot({ path: 'docs/screenshots/lesson.png' });
    }
    expect(errors).toEqual([]);
  });
}
