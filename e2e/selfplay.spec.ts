// Self-play loops end to end on WebGPU: a loop chosen in the Self-play section (or in a link) drives a
// real run in the page from the addition base checkpoint, its own plots get points iteration by
// iteration, and the run finishes after its iterations. Small sizes (a few proposals / pairs / prompts,
// one held-out prompt per arm, two iterations) so a loop runs in well under a minute under SwiftShader.
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;

/** Small knobs for every loop; the loop itself is chosen in the panel or in the link. */
const SMALL = {
  algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 },
  run: { evalPrompts: 1 },
  selfplay: {
    iterations: 2,
    proposeSolve: { proposals: 4, solverSamples: 2, warmupSteps: 2 },
    spin: { datasetSize: 4 },
    creatorSolver: { bufferSize: 8 },
    selfConsuming: { prompts: 4, sftSteps: 2 },
  },
};

const points = async (page: Page, metric: string) => Number(await page.getByTestId(`selfplay-plot-${metric}`).getAttribute('data-points'));

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Presses play, then waits until the run has done its two iterations and stopped; on WebGPU. */
async function runToTheEnd(page: Page): Promise<void> {
  await page.getByTestId('play').click();
  await expect(page.getByTestId('backend-chip')).toHaveAttribute('data-worker-backend', 'webgpu', { timeout: 60_000 });
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-step', '2', { timeout: 150_000 });
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'stopped', { timeout: 30_000 });
}

test('propose/solve chosen in the panel: its plots get points, one per iteration', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  await page.goto(link(SMALL));
  await expect(page.getByTestId('selfplay-plots')).toHaveCount(0);

  const section = page.getByTestId('section-selfplay');
  await expect(section).toBeVisible();
  const before = await page.evaluate(() => location.hash);
  await page.getByTestId('config-field-selfplay-loop').selectOption('propose-solve');
  await expect(page.getByTestId('selfplay-about')).toContainText('<propose>');
  await expect(page.getByTestId('selfplay-plots-about')).toContainText('valid proposals');
  await expect(page.getByTestId('config-field-selfplay-proposals')).toHaveValue('4');
  await expect(page.getByTestId('config-field-selfplay-extremeReward')).toHaveValue('0');
  // The choice is in the link.
  await expect.poll(() => page.evaluate(() => location.hash), { timeout: 10_000 }).not.toBe(before);

  await runToTheEnd(page);
  await expect(page.getByTestId('selfplay-plots')).toHaveAttribute('data-loop', 'propose-solve');
  for (const metric of ['validity_rate', 'learnability', 'solver_accuracy', 'diversity']) await expect.poll(() => points(page, metric), { message: metric }).toBe(2);
  // Held-out accuracy: the start (after the warm-up) and both iterations.
  await expect.poll(() => points(page, 'heldout')).toBe(3);
  // The seed-problem warm-up showed as the SFT progress bar, now done.
  await expect(page.getByTestId('sft-progress')).toHaveAttribute('data-total', '2');
  await expect(page.getByTestId('sft-progress')).toHaveAttribute('data-done', 'true');
  // A self-play run shows its own plots, not the RL ones.
  await expect(page.getByTestId('plot-reward')).toHaveCount(0);
  // The top bar and the run list count iterations.
  await expect(page.getByTestId('run-state')).toContainText('2/2 iterations done');
  await expect(page.locator('[data-testid="run-row"][aria-current="true"]')).toContainText('2 iterations');
  expect(errors).toEqual([]);
});

for (const [loop, metrics] of [
  ['spin', ['rewards', 'margin', 'discrimination_accuracy', 'heldout']],
  ['creator-solver', ['buffer_difficulty', 'informativeness', 'solver_accuracy', 'heldout']],
  ['self-consuming', ['heldout', 'diversity', 'mean_length', 'data_accuracy']],
] as const) {
  test(`${loop} from a link: runs two iterations on WebGPU and its plots get points`, async ({ page }) => {
    test.setTimeout(240_000);
    const errors = watchErrors(page);
    await page.goto(link({ ...SMALL, selfplay: { ...SMALL.selfplay, loop } }));
    await expect(page.getByTestId('config-field-selfplay-loop')).toHaveValue(loop);
    await expect(page.getByTestId(`selfplay-knobs-${loop}`)).toBeVisible();
    await runToTheEnd(page);
    await expect(page.getByTestId('selfplay-plots')).toHaveAttribute('data-loop', loop);
    for (const metric of metrics) await expect.poll(() => points(page, metric), { message: metric }).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });
}
