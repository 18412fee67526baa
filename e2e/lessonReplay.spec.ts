// A lesson's instant replay (issue 19): at its run step, "Show the recording" draws the gallery card's
// recorded seeds in the plots before any training step — for every lesson (each one's card is recorded).
// The self-play lesson's recording is SPIN's one recorded seed and its control, as self-play runs: the
// chart its "look" step names has the recorded points, and the lesson walks on to its last step.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const LESSONS_WITH_CARDS = ['pass-at-k', 'entropy-clip-higher', 'kl', 'positive-negative', 'curricula', 'reward-hacking', 'self-play'];
/** SPIN's recording (docs/selfplay/replays/spin.json): 20 iterations, the loop and its SFT control. */
const SPIN_ITERATIONS = 20;

for (const id of LESSONS_WITH_CARDS) {
  test(`lesson ${id}: the recording shows points before any training step`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`/?lesson=${id}&step=1`);
    await expect(page.getByTestId('lesson-panel')).toHaveAttribute('data-kind', 'run');
    // Every lesson's card is recorded: its run step must offer the recording.
    const replay = page.getByTestId('lesson-replay');
    await expect(replay).toBeVisible();
    await replay.click();
    await expect(page.getByTestId('lesson-replay-note')).toContainText('Showing the recording');
    const rows = page.getByTestId('run-row');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(1);
    for (const row of await rows.all()) {
      await expect(row).toHaveAttribute('data-status', 'stopped');
      if (id === 'self-play') {
        await expect(row.getByTestId('run-label')).toContainText('(recorded, one seed)');
        await expect(row).toContainText(`${SPIN_ITERATIONS} iterations`);
        continue;
      }
      expect(Number(await row.getAttribute('data-steps'))).toBeGreaterThan(0);
      expect(Number(await row.getAttribute('data-seeds'))).toBe(3);
    }
    // Nothing trained: the run state never left idle.
    await expect(page.getByTestId('run-state')).not.toHaveAttribute('data-state', 'running');
    if (id === 'self-play') {
      await expect(rows).toHaveCount(2);
      await expect(page.getByTestId('lesson-replay-note')).toContainText('one seed');
      await expect(page.getByTestId('selfplay-plots')).toHaveAttribute('data-loop', 'spin');
      await expect(page.getByTestId('selfplay-plot-generated_equals_real')).toHaveAttribute('data-points', String(SPIN_ITERATIONS));
      // On to the last step: the "look" step finds its chart (outlined), as a live run's would be.
      const panel = page.getByTestId('lesson-panel');
      const last = Number(await panel.getAttribute('data-steps')) - 1;
      await panel.locator('h2').click();
      for (let step = 2; step <= last; step++) {
        await page.keyboard.press('ArrowRight');
        await expect(panel).toHaveAttribute('data-step', String(step));
        if ((await panel.getAttribute('data-kind')) === 'look') {
          await expect(page.getByTestId('lesson-look')).toHaveAttribute('data-chart-present', 'true');
          await expect(page.locator('[data-testid="selfplay-plot-generated_equals_real"].lesson-highlight')).toHaveCount(1);
        }
      }
      await expect(panel).toHaveAttribute('data-kind', 'try');
    }
    if (id === 'kl') {
      // The README's picture of a lesson: its "look" step over the recorded curves.
      await page.getByTestId('lesson-panel').locator('h2').click();
      await page.keyboard.press('ArrowRight');
      await expect(page.getByTestId('lesson-panel')).toHaveAttribute('data-kind', 'look');
      // A tall window, the lesson's text at its top (under the sticky top bar) and the chart it outlines
      // below; after the look step's smooth scroll has settled, with no chart tooltip under the mouse.
      await page.mouse.move(5, 5);
      await page.waitForTimeout(1000);
      await page.setViewportSize({ width: 1280, height: 1400 });
      await page.getByTestId('lesson-panel').evaluate((el) => {
        el.scrollIntoView({ block: 'start' });
        window.scrollBy(0, -(document.querySelector('.top-bar')?.getBoundingClientRect().height ?? 120) - 8);
      });
      await expect(page.getByTestId('lesson-panel')).toBeInViewport();
      await expect(page.locator('.lesson-highlight')).toBeInViewport();
      mkdirSync('docs/screenshots', { recursive: true });
      await page.screenshot({ path: 'docs/screenshots/lesson.png' });
    }
    expect(errors).toEqual([]);
  });
}
