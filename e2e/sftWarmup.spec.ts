// Your own base, in the tab: with model.init = sft a fresh seeded policy is warmed up by supervised
// fine-tuning before RL. The Model panel shows its settings and a progress bar that advances step by
// step to the end, the top bar says "warming up", and RL then trains (the reward plot gets points).
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;

/** A small, quick RL run: 8 samples per step, no periodic evaluation. */
const SMALL = { algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 }, run: { evalEvery: 0 } };

const runState = (page: Page) => page.getByTestId('run-state');

/** Commits a number field the way a reader does: type, then Enter. */
async function setNumber(page: Page, name: string, value: number): Promise<void> {
  const input = page.getByTestId(`config-field-${name}`);
  await input.fill(String(value));
  await input.press('Enter');
  await expect(input).toHaveValue(String(value));
}

test('SFT warm-up: the progress bar advances to the end, then RL trains on the warmed-up policy', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(link({ seed: 3, ...SMALL }));

  // The warm-up's settings appear once sft is chosen, and go into the link.
  await expect(page.getByTestId('sft-fields')).toHaveCount(0);
  await page.getByTestId('config-field-init').selectOption('sft');
  await expect(page.getByTestId('sft-fields')).toBeVisible();
  await setNumber(page, 'sftSteps', 20);
  await setNumber(page, 'sftBatch', 8);
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/x=/);

  // Every value the bar shows, recorded in the page as it changes.
  await page.evaluate(() => {
    const w = window as unknown as { __sftSteps: number[] };
    w.__sftSteps = [];
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as HTMLElement;
        if (el.dataset?.testid === 'sft-progress') w.__sftSteps.push(Number(el.dataset.step));
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-step'] });
  });

  await page.getByTestId('play').click();
  const bar = page.getByRole('progressbar', { name: 'SFT warm-up progress' });
  await expect(bar).toBeVisible({ timeout: 60_000 });
  await expect(bar).toHaveAttribute('max', '20');
  const progress = page.getByTestId('sft-progress');
  await expect(progress).toHaveAttribute('data-step', /^[1-9]\d*$/, { timeout: 120_000 });
  await expect(progress).toHaveAttribute('data-step', '20', { timeout: 120_000 });
  await expect(progress).toHaveAttribute('data-done', 'true');
  await expect(bar).toHaveAttribute('value', '20');
  await expect(progress).toContainText(/step 20 \/ 20 · loss \d+\.\d{3}/);
  const seen = await page.evaluate(() => (window as unknown as { __sftSteps: number[] }).__sftSteps);
  expect(seen.length, `bar values seen: ${seen.join(',')}`).toBeGreaterThanOrEqual(2);
  expect(seen).toEqual([...seen].sort((a, b) => a - b)); // it only moves forward
  expect(seen.at(-1)).toBe(20);

  // RL follows: the top bar counts RL steps and the reward plot gets points.
  await expect(runState(page)).toHaveAttribute('data-warming-up', 'false');
  await expect(runState(page)).toHaveAttribute('data-step', /^[1-9]\d*$/, { timeout: 150_000 });
  await expect(page.getByTestId('plot-reward')).toHaveAttribute('data-points', /^[1-9]\d*$/);
  await page.getByTestId('pause').click();
  await expect(runState(page)).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  console.log(`[sftWarmup.spec] bar values seen: ${seen.join(',')}; final: ${await progress.innerText()}`);
  expect(errors).toEqual([]);
});

test('SFT warm-up: the top bar says "warming up", and pause holds the warm-up', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(link({ seed: 4, ...SMALL, model: { init: 'sft', sftSteps: 2000, sftBatch: 4 } }));
  await page.getByTestId('play').click();
  const progress = page.getByTestId('sft-progress');
  await expect(progress).toHaveAttribute('data-step', /^[1-9]\d*$/, { timeout: 120_000 });
  await expect(runState(page)).toHaveAttribute('data-warming-up', 'true');
  await expect(runState(page)).toContainText('warming up · SFT');
  await page.getByTestId('pause').click();
  await expect(runState(page)).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  await expect(runState(page)).toContainText('paused · SFT');
  const held = await progress.getAttribute('data-step');
  await page.waitForTimeout(1500);
  await expect(progress).toHaveAttribute('data-step', held!);
  await expect(progress).toContainText('Warming up');
  await expect(page.getByTestId('plot-reward')).toHaveAttribute('data-points', '0');
  expect(errors).toEqual([]);
});
