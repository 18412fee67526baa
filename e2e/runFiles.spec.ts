// Runs as files, in the page: a real 3-seed record made by `npm run train -- --seeds 3` (fixtures:
// e2e/fixtures/README.md says how) imported into the lab draws its mean and a shaded band, says
// "×3 seeds"; a corrupted and a truncated file each get a clear message and leave the runs as they
// were; and the comparison view between two imported runs gives a paired difference, its intervals
// and the verdict in words.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const DEFAULT = 'e2e/fixtures/seeds3-default.json';
const NEGATIVE = 'e2e/fixtures/seeds3-negative-only.json';

async function importFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('run-import-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('an imported 3-seed file draws a band; bad files are refused; two runs compare', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  const rows = page.getByTestId('run-row');
  const message = page.getByTestId('run-import-message');

  await importFile(page, 'default-3seeds.json', readFileSync(DEFAULT, 'utf8'));
  await expect(message).toContainText('3 seeds (1, 2, 3) as one run');
  // One row for the group (its seeds are in the row's expander).
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-seeds', '3');
  await expect(rows.first().locator('.run-status').first()).toHaveText('stopped');

  // The reward chart: the group's mean over its 6 steps, and the band as an SVG path.
  const reward = page.getByTestId('plot-reward');
  await expect(reward).toHaveAttribute('data-points', '6');
  const band = reward.locator('.seed-band path.recharts-area-area');
  await expect(band).toHaveCount(1);
  expect((await band.getAttribute('d'))?.length ?? 0).toBeGreaterThan(20);
  await expect(reward.locator('.recharts-line-curve').first()).toBeVisible();
  // The evaluation chart has its band too.
  await expect(page.getByTestId('plot-pass_at_k').locator('.seed-band path.recharts-area-area').first()).toBeAttached();
  // The tooltip names the run with its seed count.
  const surface = reward.locator('.recharts-surface');
  const box = (await surface.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  await expect(reward.locator('.chart-tooltip')).toContainText('×3 seeds');
  // Band choices: none hides it; individual seeds add thin lines.
  await page.getByTestId('seed-band').selectOption('none');
  await expect(band).toHaveCount(0);
  await page.getByTestId('seed-band').selectOption('minmax');
  await expect(band).toHaveCount(1);
  await page.getByTestId('show-seeds').check();
  await expect(reward.locator('.seed-line')).toHaveCount(3);

  // A corrupted file and a truncated one: a message each, nothing added.
  const text = readFileSync(DEFAULT, 'utf8');
  await importFile(page, 'corrupted.json', text.replace('"format":"rlvr-lab-seeds/1"', '"format":"rlvr-lab-seeds/1",,'));
  await expect(message).toContainText('corrupted.json was not imported. This file is not JSON');
  await expect(rows).toHaveCount(1);
  await importFile(page, 'truncated.json', text.slice(0, Math.floor(text.length / 2)));
  await expect(message).toContainText('truncated.json was not imported. This file is not complete JSON: it ends too early (truncated?)');
  await expect(rows).toHaveCount(1);
  const nan = JSON.parse(text);
  nan.replicas[1].record.steps[2].entropy = null;
  await importFile(page, 'nan.json', JSON.stringify(nan));
  await expect(message).toContainText('replicas[1].record.steps[2].entropy');
  await expect(rows).toHaveCount(1);

  // A second run, and the comparison between the two.
  await importFile(page, 'negative-only-3seeds.json', readFileSync(NEGATIVE, 'utf8'));
  await expect(rows).toHaveCount(2);
  await page.getByTestId('compare-open').click();
  const comparison = page.getByTestId('comparison');
  await expect(comparison.getByTestId('compare-a').locator('option')).toHaveText(['default (imported) ×3 seeds', 'negative-only (imported) ×3 seeds']);
  await comparison.getByTestId('compare-metric').selectOption('eval.pass@1');
  await comparison.getByTestId('compare-window').selectOption('final');
  await expect(comparison.getByTestId('comparison-pair')).toHaveCount(3);
  await expect(comparison.getByTestId('comparison-difference')).toContainText(/Mean paired difference A − B: -?[0-9]\.[0-9]{4} \(n = 3\)/);
  await expect(comparison.getByTestId('comparison-intervals')).toContainText(/95 % t-interval \[-?[0-9.]+, -?[0-9.]+\]; bootstrap \(percentile, 10,000 resamples, seed 24301\)/);
  await expect(comparison.getByTestId('comparison-verdict')).toHaveText(/The 95 % t-interval (excludes zero: A is (higher|lower) than B|includes zero: these 3 seeds do not show a difference)/);

  // Export writes the group as a file the lab (and npm run compare) reads back: the same three seeds.
  const download = page.waitForEvent('download');
  await rows.first().getByTestId('run-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/-3seeds\.json$/);
  const exported = readFileSync((await file.path())!, 'utf8');
  expect(JSON.parse(exported).format).toBe('rlvr-lab-seeds/1');
  await importFile(page, 'exported.json', exported);
  await expect(message).toContainText('exported.json: 3 seeds (1, 2, 3) as one run');
  await expect(rows).toHaveCount(3);
  expect(errors).toEqual([]);
});
