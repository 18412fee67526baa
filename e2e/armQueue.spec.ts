// Gallery runs during and after other runs (issue 19): "Load and run" while a run trains leaves exactly
// one run running (the replaced ones end stopped), the self-play card starts even when it replaces a
// run (it used to fail at once with "the loop was disposed"), and "Run all arms" on a three-arm card
// runs the three one after another, overlaid and labelled by their difference, all finishing. Small
// budgets for SwiftShader: the smoke budget (2 steps of a small batch) where a run must finish, the 20-step quick one where
// it must still be running when the next command comes (the recorded budget's first evaluation, 128
// prompts × 16 samples, would only make a replacing load or a Stop wait for it to end).
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;
const SMALL = { algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 }, run: { steps: 1000, evalEvery: 0 } };

const rows = (page: Page) => page.getByTestId('run-row');
const statuses = (page: Page) => rows(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-status')));

async function loadFromGallery(page: Page, card: string, budget: string): Promise<void> {
  await page.getByTestId('open-gallery').click();
  await page.getByTestId('gallery-budget').selectOption(budget);
  await page.getByTestId(`gallery-load-${card}`).click();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
}

test('"Load and run" during a run leaves exactly one run running, the self-play card included', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(link(SMALL));
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'running', { timeout: 120_000 });
  await expect(rows(page).first()).not.toHaveAttribute('data-steps', '0', { timeout: 120_000 });

  // A card over the running run (20 steps: it is still running at the next load), then the self-play
  // card over that one.
  // "Run it live" shows the card's recording first (one stopped row of 3 seeds), then runs.
  await loadFromGallery(page, 'sharpening-ceiling', 'quick');
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'running', { timeout: 120_000 });
  await expect(rows(page)).toHaveCount(3);
  await loadFromGallery(page, 'self-play', 'recorded');
  await expect(rows(page)).toHaveCount(4);
  await expect.poll(async () => (await statuses(page)).filter((s) => s === 'running').length, { timeout: 60_000 }).toBe(1);
  expect((await statuses(page)).filter((s) => s === 'stopped')).toHaveLength(3);
  // The self-play run got past its start (where the stale stop used to dispose its loop): its warm-up steps.
  await expect(page.getByTestId('sft-progress')).toBeVisible({ timeout: 120_000 });
  await expect.poll(async () => Number(await page.getByTestId('sft-progress').getAttribute('data-step')), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'running');
  expect(await page.locator('.run-error, [data-testid="run-error"]').count()).toBe(0);
  expect(errors).toEqual([]);
});

test('"Run all arms" runs a three-arm card one arm after another: three overlaid runs, all finished, none running', async ({ page }) => {
  test.setTimeout(480_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await page.getByTestId('open-gallery').click();
  await page.getByTestId('gallery-budget').selectOption('smoke');
  await page.getByTestId('gallery-run-all-divergence').click();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
  const queue = page.getByTestId('arm-queue');
  await expect(queue).toHaveAttribute('data-arms', '3');
  await expect(queue).toContainText('arm 1 of 3');
  await expect(page.getByTestId('arm-queue-outcome')).toContainText('All 3 arms', { timeout: 420_000 });
  await expect(rows(page)).toHaveCount(3);
  await expect.poll(() => statuses(page)).toEqual(['stopped', 'stopped', 'stopped']);
  expect(await rows(page).evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-steps'))))).toEqual([2, 2, 2]);
  // Each labelled by what sets it apart from the other arms; all drawn (visible) together.
  const labels = await page.getByTestId('run-label').allTextContents();
  // k3 in the loss / k2 in the loss / no penalty: the two penalised arms differ in the estimator, all three in β.
  expect(labels).toHaveLength(3);
  expect(labels.sort()).toEqual(
    ['k3 in the loss, β 0.5 (sorting len8) · KL est=k3, KL β=0.5', 'k2 in the loss, β 0.5 (sorting len8) · KL est=k2, KL β=0.5', 'GRPO, 1 pass (sorting len8) · KL est=k3, KL β=0'].sort(),
  );
  for (const toggle of await page.getByTestId('run-toggle').all()) await expect(toggle).toBeChecked();
  expect(errors).toEqual([]);
});

test('Stop on the queue stops the running arm and never starts the rest', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await page.getByTestId('open-gallery').click();
  await page.getByTestId('gallery-budget').selectOption('quick'); // 20 steps: arm 1 is running when Stop comes
  await page.getByTestId('gallery-run-all-divergence').click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'running', { timeout: 120_000 });
  await page.getByTestId('arm-queue-stop').click();
  await expect(page.getByTestId('arm-queue-outcome')).toContainText('Stopped at arm 1 of 3');
  await expect.poll(() => statuses(page), { timeout: 60_000 }).toEqual(['stopped']);
});
