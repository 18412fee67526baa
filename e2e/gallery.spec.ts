// The preset gallery: the cards with their recorded figures and links, and "Load and run" loading a
// card's preset and starting it.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('the gallery shows its cards, figures and links', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('open-gallery').click();
  const gallery = page.getByTestId('gallery');
  await expect(gallery).toBeVisible();
  const cards = gallery.getByTestId('gallery-card');
  expect(await cards.count()).toBeGreaterThanOrEqual(8);
  // Recorded figures are served and load (the CSP allows them).
  const figures = gallery.getByTestId('gallery-figure');
  expect(await figures.count()).toBeGreaterThanOrEqual(6);
  await expect.poll(() => figures.evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0))).toBe(true);
  // The README's picture of the gallery.
  mkdirSync('docs/screenshots', { recursive: true });
  await page.screenshot({ path: 'docs/screenshots/gallery.png' });
  // Each runnable card links to its experiment: the preset and the gallery's budget.
  const href = await gallery.getByTestId('gallery-link-kl-choice').getAttribute('href');
  expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#v=1&x=[A-Za-z0-9+$-]+$/);
  const other = await page.context().newPage();
  await other.goto(href!);
  await expect(other.getByTestId('preset-select')).toHaveValue('kl-reset');
  await expect(other.getByTestId('config-field-refResetEvery')).toHaveValue('20');
  await expect(other.getByTestId('config-field-steps')).toHaveValue('60');
  await expect(other.getByTestId('notes-banner')).toHaveCount(0);
  // The reward-hacking card's proxy is a weighted built-in reward, shown with its weights.
  await other.goto((await gallery.getByTestId('gallery-link-reward-hacking').getAttribute('href'))!);
  await expect(other.getByTestId('preset-select')).toHaveValue('reward-hacking');
  await expect(other.getByTestId('config-field-reward-weighted')).toBeChecked();
  await expect(other.getByTestId('config-field-weight-lengthPenalty')).toHaveValue('-0.2');
  await expect(other.getByTestId('config-field-weight-correctness')).toHaveValue('0');
  // A whole card as one figure (issue 19 item 5): its title, every recorded panel, and a caption with each
  // arm's config difference and link; the SVG, then the PNG at 2×.
  await gallery.getByTestId('card-export-theme-kl-choice').selectOption('dark');
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), gallery.getByTestId('card-export-svg-kl-choice').click()]);
  expect(svgDownload.suggestedFilename()).toBe('rlvr-card-kl-choice-dark.svg');
  const svg = readFileSync((await svgDownload.path())!, 'utf8');
  expect(svg).toContain('class="figure-title">KL choice: none, k3 in the loss, or reference resets</text>');
  expect(svg).toContain('>KL to reference (k3)</text>');
  expect(svg).toContain('>step</text>');
  const caption = [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]).join(' ');
  for (const arm of ['no KL · ', 'k3 in loss, β 0.05 · ', 'k3 + reset every 20 · ']) expect(caption).toContain(arm);
  expect(caption).toMatch(/#v=1&amp;x=/);
  expect(caption).toContain('This card: http://127.0.0.1');
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), gallery.getByTestId('card-export-png-kl-choice').click()]);
  const png = readFileSync((await pngDownload.path())!);
  await pngDownload.saveAs(test.info().outputPath('card-dark@2x.png')); // to look at
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  const [, svgWidth, svgHeight] = svg.match(/^<svg[^>]* width="(\d+)" height="(\d+)"/)!.map(Number);
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * svgWidth, 2 * svgHeight]);
  // Closing.
  await page.getByTestId('gallery-close').click();
  await expect(gallery).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('"Load and run" loads a card\'s preset and starts the run', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('open-gallery').click();
  await page.getByTestId('gallery-load-positive-negative').click();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
  await expect(page.getByTestId('preset-select')).toHaveValue('negative-only');
  await expect(page.getByTestId('config-field-positiveWeight')).toHaveValue('0');
  await expect(page.getByTestId('config-field-steps')).toHaveValue('60');
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', /loading|running/);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'running', { timeout: 120_000 });
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#v=1&x=/);
  expect(errors).toEqual([]);
});
