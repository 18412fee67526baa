// Curricula end to end: SEC chosen in the Curriculum section drives a real run in the page, and the
// per-arm probability view fills with the curriculum's state step by step and moves off uniform.
// A small run (2 prompts × 4 samples, no periodic evaluation) so a step takes seconds under SwiftShader.
import { expect, test } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;

test('SEC chosen in the panel: the arm-probability view gets points and moves', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // sorting, two arms ticked whose base pass@1 differ (len5 0.44, len8 0.15): SEC has a choice to make.
  // (The base checkpoint itself recommends only len8, the one arm that is RL-ready and stops.)
  await page.goto(link({ task: { id: 'sorting', arms: ['len5', 'len8'] }, run: { evalEvery: 0 } }));

  for (const [field, value] of [
    ['promptsPerStep', '2'],
    ['samplesPerPrompt', '4'],
  ] as const) {
    await page.getByTestId(`config-field-${field}`).fill(value);
    await page.getByTestId(`config-field-${field}`).press('Enter');
    await expect(page.getByTestId(`config-field-${field}`)).toHaveValue(value);
  }

  const section = page.getByTestId('section-curriculum');
  await expect(section).toBeVisible();
  await page.getByTestId('config-field-curriculum-kind').selectOption('sec');
  await expect(page.getByTestId('curriculum-about')).toContainText('SEC');
  // The paper's α = 0.5: Q follows each step's mean |A| closely, so p moves within a few steps.
  await page.getByTestId('config-field-curriculum-alpha').fill('0.5');
  await page.getByTestId('config-field-curriculum-alpha').press('Enter');
  await expect(page.getByTestId('config-field-curriculum-tau')).toHaveValue('1');
  await page.getByTestId('config-field-filter-enabled').check();
  await expect(page.getByTestId('config-field-filter-lo')).toHaveValue('0.2');
  await page.getByTestId('config-field-filter-enabled').uncheck();
  // The choice is in the link.
  await expect.poll(() => page.evaluate(() => location.hash), { timeout: 10_000 }).toContain('x=');

  const plot = page.getByTestId('plot-arm_probability');
  const points = async () => Number(await plot.getAttribute('data-points'));
  const probabilities = async () => ((await plot.getAttribute('data-probabilities')) ?? '').split(',').filter(Boolean).map(Number);
  await expect(plot).toHaveAttribute('data-points', '0');

  await page.getByTestId('play').click();
  await expect.poll(points, { timeout: 180_000 }).toBeGreaterThanOrEqual(1);
  const first = await probabilities();
  await expect(plot).toHaveAttribute('data-arms', 'len5,len8');
  expect(first).toHaveLength(2);
  expect(first[0] + first[1]).toBeCloseTo(1, 3);

  await expect.poll(points, { timeout: 180_000 }).toBeGreaterThanOrEqual(4);
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  const later = await probabilities();
  expect(later[0] + later[1]).toBeCloseTo(1, 3);
  // SEC moved its mass: off uniform by now, or at least not where it was after the first step.
  const offUniform = Math.abs(later[0] - 0.5) > 1e-3;
  const moved = Math.abs(later[0] - first[0]) > 1e-4;
  expect(offUniform || moved, `probabilities after step 1 ${first}, later ${later}`).toBe(true);

  // The other curriculum views got the same steps.
  await expect.poll(async () => Number(await page.getByTestId('plot-arm_score').getAttribute('data-points'))).toBeGreaterThanOrEqual(4);
  await expect(page.getByTestId('plot-arm_score')).toContainText('(Q)');
  expect(errors).toEqual([]);
});
