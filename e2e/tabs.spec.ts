// Runs shared by several tabs of the lab (issue 20, class 5) and the last step kept when the page goes
// away (class 10). Tabs are pages of one browser context: they share IndexedDB, Web Locks and
// BroadcastChannel as a user's tabs do. Small runs (2 prompts × 4 samples, no periodic evaluation) on
// a task with a curriculum, whose per-step trace lives in the run's record.
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;
const smallRun = link({ seed: 3, task: { id: 'sorting' }, curriculum: { kind: 'sec' }, algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 }, run: { evalEvery: 0 } });

const stepOf = async (page: Page) => Number(await page.getByTestId('run-state').getAttribute('data-step'));

async function trainUntil(page: Page, steps: number): Promise<number> {
  await page.getByTestId('play').click();
  await expect.poll(() => stepOf(page), { timeout: 240_000 }).toBeGreaterThanOrEqual(steps);
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  await page.waitForTimeout(800); // the store writes a few times a second
  return stepOf(page);
}

test('a stale tab does not cut the curriculum trace of a run another tab trains', async ({ context }) => {
  test.setTimeout(540_000);
  const trainer = await context.newPage();
  await trainer.goto(smallRun);
  const early = await trainUntil(trainer, 1);

  // A second tab opens now: it reads the run as it is after `early` steps.
  const stale = await context.newPage();
  await stale.goto('/');
  await expect(stale.getByTestId('run-row')).toHaveCount(1, { timeout: 30_000 });
  await expect(stale.getByTestId('plot-arm_probability')).toHaveAttribute('data-points', String(early));

  const later = await trainUntil(trainer, early + 2); // any later step shows a cut trace; two make it plain
  // The stale tab toggles the run: its old copy of the record (and its shorter curriculum trace) must
  // not replace the trainer's.
  await stale.getByTestId('run-toggle').click();
  await stale.waitForTimeout(800);

  const reader = await context.newPage();
  await reader.goto('/');
  await expect(reader.getByTestId('run-row')).toHaveAttribute('data-steps', String(later), { timeout: 30_000 });
  await expect(reader.getByTestId('plot-arm_probability')).toHaveAttribute('data-points', String(later));
});

test('a run deleted in one tab while another trains it stays deleted', async ({ context }) => {
  test.setTimeout(540_000);
  const trainer = await context.newPage();
  await trainer.goto(smallRun);
  await trainUntil(trainer, 1);
  const stale = await context.newPage();
  await stale.goto('/');
  await expect(stale.getByTestId('run-row')).toHaveCount(1, { timeout: 30_000 });

  // Deleted in the other tab while the trainer keeps training: it must not come back.
  await trainer.getByTestId('play').click();
  stale.once('dialog', (dialog) => void dialog.accept());
  await stale.getByTestId('run-delete').click();
  await expect(stale.getByTestId('run-row')).toHaveCount(0);
  const deletedAt = await stepOf(trainer);
  await expect.poll(() => stepOf(trainer), { timeout: 240_000 }).toBeGreaterThanOrEqual(deletedAt + 2);
  await trainer.waitForTimeout(800);
  const after = await context.newPage();
  await after.goto('/');
  await expect(after.getByRole('heading', { level: 1, name: 'RLVR Lab' })).toBeVisible();
  await after.waitForTimeout(2_000); // saved runs load right after the page
  await expect(after.getByTestId('run-row')).toHaveCount(0);
});

test('a reload right after a step keeps that step (class 10)', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(smallRun);
  // Reload in the same task as the step is shown — no time for the store's timed write — and remember
  // the step shown.
  await page.evaluate(() => {
    const state = document.querySelector('[data-testid="run-state"]')!;
    new MutationObserver(() => {
      const step = Number(state.getAttribute('data-step'));
      if (step >= 2 && !sessionStorage.getItem('reloadedAt')) {
        sessionStorage.setItem('reloadedAt', String(step));
        location.reload();
      }
    }).observe(state, { attributes: true, attributeFilter: ['data-step'] });
  });
  await page.getByTestId('play').click();
  await expect.poll(() => page.evaluate(() => sessionStorage.getItem('reloadedAt')).catch(() => null), { timeout: 240_000 }).not.toBeNull();
  // The reloaded page: nothing runs there, and the run comes from storage.
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
  await expect(page.getByTestId('run-row')).toHaveCount(1, { timeout: 30_000 });
  const shown = await page.evaluate(() => sessionStorage.getItem('reloadedAt'));
  // Every step shown before the reload is kept (one that arrived while the page was going away may be too).
  const kept = Number(await page.getByTestId('run-row').getAttribute('data-steps'));
  expect(kept).toBeGreaterThanOrEqual(Number(shown));
});
