// The gallery (issues 18, 19): cards judged over seeds with their figures, verdicts and links; "Show the
// recording" drawing a card's recorded seeds in the plots before any training step (an instant replay);
// "Run it live" loading the card's first arm and starting it.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('the gallery shows its cards, verdicts, figures and links', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('open-gallery').click();
  const gallery = page.getByTestId('gallery');
  await expect(gallery).toBeVisible();
  expect(await gallery.getByTestId('gallery-card').count()).toBeGreaterThanOrEqual(12);
  // Every claim carries a verdict (or says it is not recorded yet); a recorded card has its figure.
  const verdicts = await gallery.getByTestId('gallery-claim').evaluateAll((els) => els.map((el) => el.getAttribute('data-verdict')));
  expect(verdicts.length).toBeGreaterThanOrEqual(30);
  for (const v of verdicts) expect(['shown', 'not shown', 'untestable', 'pending']).toContain(v);
  expect(verdicts.filter((v) => v !== 'pending').length).toBeGreaterThan(0);
  const figures = gallery.getByTestId('gallery-figure');
  expect(await figures.count()).toBeGreaterThanOrEqual(2);
  await expect.poll(() => figures.evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0))).toBe(true);
  mkdirSync('docs/screenshots', { recursive: true });
  await page.screenshot({ path: 'docs/screenshots/gallery.png' });
  // A card's link opens its first arm: the KL card's k3 penalty at a β that binds, the recorded budget.
  const href = await gallery.getByTestId('gallery-link-kl-choice').getAttribute('href');
  expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#v=1&x=[A-Za-z0-9+$-]+$/);
  const other = await page.context().newPage();
  await other.goto(href!);
  await expect(other.getByTestId('config-field-klCoef')).toHaveValue('0.5');
  await expect(other.getByTestId('config-field-steps')).toHaveValue('60');
  await expect(other.getByTestId('notes-banner')).toHaveCount(0);
  // The reward-hacking card's proxy: a weighted reward that pays 0.6 a token and 0.5 for being right.
  await other.goto((await gallery.getByTestId('gallery-link-reward-hacking').getAttribute('href'))!);
  await expect(other.getByTestId('config-field-reward-weighted')).toBeChecked();
  await expect(other.getByTestId('config-field-weight-lengthPenalty')).toHaveValue('-0.6');
  await expect(other.getByTestId('config-field-weight-correctness')).toHaveValue('0.5');
  // A whole card as one figure (issue 19 item 5): its title, every recorded panel, and a caption with each
  // arm's config difference and link; the SVG, then the PNG at 2×.
  await gallery.getByTestId('card-export-theme-kl-choice').selectOption('dark');
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), gallery.getByTestId('card-export-svg-kl-choice').click()]);
  expect(svgDownload.suggestedFilename()).toBe('rlvr-card-kl-choice-dark.svg');
  const svg = readFileSync((await svgDownload.path())!, 'utf8');
  expect(svg).toContain('class="figure-title">KL in the loss with a β that binds (none, k2, k3, k3 with resets)</text>');
  expect(svg).toContain('>KL to the reference (k3)</text>');
  expect(svg).toContain('>step</text>');
  expect(svg).toContain('fill-opacity="0.15"'); // the seed bands
  const caption = [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]).join(' ');
  for (const arm of ['k3 in the loss, β 0.5 · ', 'GRPO (addition d2) · ', 'k2 in the loss, β 0.5 · ']) expect(caption).toContain(arm);
  expect(caption).toMatch(/#v=1&amp;x=/);
  expect(caption).toContain('This card: http://127.0.0.1');
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), gallery.getByTestId('card-export-png-kl-choice').click()]);
  const png = readFileSync((await pngDownload.path())!);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  const [, svgWidth, svgHeight] = svg.match(/^<svg[^>]* width="(\d+)" height="(\d+)"/)!.map(Number);
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * svgWidth, 2 * svgHeight]);
  await page.getByTestId('gallery-close').click();
  await expect(gallery).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('"Show the recording" draws the recorded seeds at once, before any training step', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('open-gallery').click();
  await page.getByTestId('gallery-replay-sharpening-ceiling').click();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
  // One run of three seeds, 60 recorded steps, stopped: nothing trained here.
  const row = page.getByTestId('run-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-steps', '60');
  await expect(row).toHaveAttribute('data-status', 'stopped');
  await expect(row).toContainText('×3');
  await expect(page.getByTestId('run-state')).not.toHaveAttribute('data-state', 'running');
  // Shown twice: the same run, not a copy.
  await page.getByTestId('open-gallery').click();
  await page.getByTestId('gallery-replay-sharpening-ceiling').click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('"Run it live" loads a card\'s first arm and starts it over the recording', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('open-gallery').click();
  await page.getByTestId('gallery-budget').selectOption('smoke');
  await page.getByTestId('gallery-load-kl-choice').click();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
  await expect(page.getByTestId('config-field-klCoef')).toHaveValue('0.5');
  await expect(page.getByTestId('config-field-steps')).toHaveValue('2');
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', /loading|running|done|paused/, { timeout: 120_000 });
  // The recording of the card's recorded arms is there beside the live run.
  expect(await page.getByTestId('run-row').count()).toBeGreaterThanOrEqual(2);
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#v=1&x=/);
  expect(errors).toEqual([]);
});
