// A multi-seed experiment in the page, end to end on WebGPU (issue 16): a link with seeds 3 trains three
// replicas together — one row in the Runs panel, "×3 seeds", its seeds never more than a step apart, its
// band drawn on the reward chart —
// and seed k's first step is exactly the first step of a single-seed run with seed k, started after it
// from the Seeds field. Small runs (2 prompts × 4 samples, 2 steps — a band needs two points — no
// periodic evaluation): SwiftShader.
import { expect, test, type Locator, type Page } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;

const SEED = 500;
const STEPS = 2;
const SMALL = { seed: SEED, seeds: 3, algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 }, run: { steps: STEPS, evalEvery: 0 } };

interface StepNumbers {
  reward: number;
  loss: number;
  entropy: number;
}

const runState = (page: Page) => page.getByTestId('run-state');
const activeRow = (page: Page) => page.locator('[data-testid="run-row"][aria-current="true"]');

async function numbers(el: Locator, prefix: 'first' | 'last'): Promise<StepNumbers> {
  const read = async (name: string) => {
    const v = await el.getAttribute(`data-${prefix}-${name}`);
    expect(v, `data-${prefix}-${name}`).not.toBeNull();
    return Number(v);
  };
  return { reward: await read('reward'), loss: await read('loss'), entropy: await read('entropy') };
}

/** Equal within 1e-6 relative (the same kernels on the same adapter give the same numbers). */
function expectSame(actual: StepNumbers, expected: StepNumbers, what: string): void {
  for (const key of ['reward', 'loss', 'entropy'] as const) {
    const scale = Math.max(1e-12, Math.abs(expected[key]));
    expect(Math.abs(actual[key] - expected[key]) / scale, `${what}: ${key} ${actual[key]} vs ${expected[key]}`).toBeLessThanOrEqual(1e-6);
  }
}

test('a 3-seed link trains its seeds together, and seed k matches the single-seed run of seed k', async ({ page }) => {
  test.setTimeout(420_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(link(SMALL));
  await expect(page.getByTestId('config-field-seeds')).toHaveValue('3');

  await page.getByTestId('play').click();
  const row = activeRow(page);
  await expect(row).toHaveAttribute('data-seeds', '3', { timeout: 60_000 });
  await expect(row.getByTestId('run-label')).toContainText('×3 seeds');
  await expect(runState(page)).toHaveAttribute('data-seeds', '3');
  const seedItems = row.getByTestId('run-seed');
  await expect(seedItems).toHaveCount(3);
  expect(await seedItems.evaluateAll((els) => els.map((el) => el.getAttribute('data-seed')))).toEqual([String(SEED), String(SEED + 1), String(SEED + 2)]);

  // While it runs, the seeds' step counts (as the page shows them) are never more than one apart.
  let spread = 0;
  const seen = new Set<string>();
  for (;;) {
    const counts = await seedItems.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-steps'))));
    spread = Math.max(spread, Math.max(...counts) - Math.min(...counts));
    seen.add(counts.join(','));
    if ((await runState(page).getAttribute('data-state')) === 'stopped' || Math.min(...counts) >= STEPS) break;
    await page.waitForTimeout(100);
  }
  await expect(runState(page)).toHaveAttribute('data-state', 'stopped', { timeout: 300_000 });
  console.log(`[seeds.spec] step counts seen while running: ${[...seen].join(' | ')}; largest spread ${spread}`);
  expect(spread).toBeLessThanOrEqual(1);
  expect(await seedItems.evaluateAll((els) => els.map((el) => el.getAttribute('data-steps')))).toEqual([String(STEPS), String(STEPS), String(STEPS)]);
  await expect(row).toHaveAttribute('data-steps', String(STEPS));
  await expect(row.locator('.run-status').first()).toHaveText('stopped');

  const firsts: StepNumbers[] = [];
  for (let k = 0; k < 3; k++) firsts.push(await numbers(seedItems.nth(k), 'first'));

  // The live group draws its mean and band (seedBands.ts) on a step chart, and its legend says ×3 seeds.
  const reward = page.getByTestId('plot-reward');
  const band = reward.locator('.seed-band path.recharts-area-area');
  await expect(band).toHaveCount(1);
  expect((await band.getAttribute('d'))?.length ?? 0, 'the band path has a shape').toBeGreaterThan(20);
  await reward.locator('.recharts-surface').hover();
  await expect(reward.locator('.chart-tooltip')).toContainText('×3 seeds');
  // The seeds are different runs (their own data and sampling), not one run three times.
  expect(new Set(firsts.map((f) => `${f.reward}/${f.loss}/${f.entropy}`)).size).toBeGreaterThan(1);

  // Single-seed runs of seed k, one step each, from the Seeds field and the top bar's seed.
  await page.getByTestId('section-run').locator('summary').click();
  await page.getByTestId('config-field-seeds').fill('1');
  await page.getByTestId('config-field-seeds').press('Enter');
  for (let k = 0; k < 3; k++) {
    const before = await activeRow(page).getAttribute('data-run-id');
    if (k > 0) {
      // A new seed while a run is paused: the restart dialog, then a new paused run at step 0.
      await page.getByTestId('seed').fill(String(SEED + k));
      await page.getByTestId('seed').press('Enter');
      await page.getByTestId('restart-confirm').click();
      await expect(activeRow(page)).not.toHaveAttribute('data-run-id', before ?? '', { timeout: 30_000 });
      await expect(runState(page)).toHaveAttribute('data-state', 'paused', { timeout: 150_000 });
    }
    await page.getByTestId('step-once').click();
    await expect(activeRow(page)).not.toHaveAttribute('data-run-id', k === 0 ? (before ?? '') : '', { timeout: 30_000 });
    await expect(activeRow(page)).toHaveAttribute('data-steps', '1', { timeout: 150_000 });
    await expect(runState(page)).toHaveAttribute('data-state', 'paused', { timeout: 150_000 });
    await expect(activeRow(page)).toHaveAttribute('data-seeds', '1');
    const single = await numbers(activeRow(page), 'last');
    console.log(`[seeds.spec] seed ${SEED + k}: in the 3-seed run ${JSON.stringify(firsts[k])}, alone ${JSON.stringify(single)}`);
    expectSame(firsts[k], single, `seed ${SEED + k}`);
  }
  await expect(page.getByTestId('run-row')).toHaveCount(4);
  expect(errors).toEqual([]);
});
