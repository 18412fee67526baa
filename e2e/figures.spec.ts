// The plots as figures (issue 19): negative y tick labels keep their minus sign, a probability's axis
// runs 0..1 (not to 1.05), a plain run shows no curriculum charts, and a chart exports as a standalone
// SVG with its title, axis titles, legend ("×3 seeds") and caption (the link), and as a PNG at 2×;
// a chart's title opens its glossary entry (keyboard too).
// No training: a real 3-seed record (e2e/fixtures) is imported with its loss made negative and its
// pass@1 pushed near 1, so the axes have something to show.
import { readFileSync } from 'node:fs';
import { expect, test, type Locator } from '@playwright/test';

interface Fixture {
  replicas: { record: { steps: { loss: number }[]; evaluations: { arms: { passAtK: Record<string, number> }[] }[] } }[];
}

function fixture(): string {
  const data = JSON.parse(readFileSync('e2e/fixtures/seeds3-default.json', 'utf8')) as Fixture;
  data.replicas.forEach(({ record }, seed) => {
    record.steps.forEach((m, i) => (m.loss = -0.0123 - 0.002 * i - 0.001 * seed));
    record.evaluations.forEach((e, i) => e.arms.forEach((a) => (a.passAtK['1'] = Math.min(1, 0.95 + 0.02 * i + 0.01 * seed))));
  });
  return JSON.stringify(data);
}

const tickTexts = (chart: Locator) => chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents();

test('axes and curriculum charts are right for a plain 3-seed run, and a chart exports as a figure', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await page.getByTestId('run-import-file').setInputFiles({ name: 'negative.json', mimeType: 'application/json', buffer: Buffer.from(fixture()) });
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toHaveAttribute('data-seeds', '3');

  // Negative ticks: the label is there with its sign, and drawn inside the chart's SVG (not cut off).
  const loss = page.getByTestId('plot-loss');
  await expect(loss).toHaveAttribute('data-points', '6');
  await expect.poll(async () => (await tickTexts(loss)).join(' ')).toMatch(/(^| )-0\.0/);
  const svgBox = (await loss.locator('svg.recharts-surface').boundingBox())!;
  for (const tick of await loss.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').all()) {
    const box = (await tick.boundingBox())!;
    expect(box.x, `tick "${await tick.textContent()}" starts inside the chart`).toBeGreaterThanOrEqual(svgBox.x);
  }

  // pass@1 near 1: the axis ends at 1 and starts at 0.
  const passAtK = page.getByTestId('plot-pass_at_k');
  await expect.poll(async () => (await tickTexts(passAtK)).length).toBeGreaterThan(1);
  const ticks = (await tickTexts(passAtK)).map(Number);
  console.log(`[figures.spec] pass@k ticks ${ticks.join(', ')}; loss ticks ${(await tickTexts(loss)).join(', ')}`);
  expect(Math.max(...ticks)).toBe(1);
  expect(Math.min(...ticks)).toBe(0);

  // The title opens the metric's glossary entry, from the keyboard too: Enter opens, Escape closes.
  const klTitle = page.getByTestId('plot-kl').getByTestId('chart-title');
  await klTitle.focus();
  await page.keyboard.press('Enter');
  await expect(klTitle).toHaveAttribute('aria-expanded', 'true');
  const glossary = page.getByTestId('plot-kl').getByTestId('chart-glossary');
  await expect(glossary).toContainText('k3 = e^(−d) + d − 1');
  await expect(glossary).toContainText('Schulman');
  await page.keyboard.press('Escape');
  await expect(glossary).toHaveCount(0);
  await page.getByTestId('plot-pass_at_k').getByTestId('chart-title').click();
  await expect(page.getByTestId('plot-pass_at_k').getByTestId('chart-glossary')).toContainText('C(n − c, k) / C(n, k)');

  // A plain (uniform, unfiltered) run: no curriculum charts.
  await expect(page.getByTestId('curriculum-plots')).toHaveCount(0);
  await expect(page.getByTestId('plot-arm_probability')).toHaveCount(0);

  // The figure, light theme, as SVG: title, axis titles, legend, band and caption with the link.
  await passAtK.getByTestId('export-theme').selectOption('light');
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), passAtK.getByTestId('export-svg').click()]);
  expect(svgDownload.suggestedFilename()).toBe('rlvr-pass_at_k-light.svg');
  const svg = readFileSync((await svgDownload.path())!, 'utf8');
  const title = (await passAtK.locator('.chart-title').textContent())!;
  expect(svg).toContain(`class="figure-title">${title}</text>`);
  expect(svg).toContain('class="figure-x-title">step</text>');
  expect(svg).toContain('pass@k</text>');
  expect(svg).toMatch(/>default[^<]*×3 seeds<\/text>/);
  expect(svg).toContain('seed-band');
  expect(svg).toMatch(/<tspan[^>]*>[^<]*#v=1/);
  expect(svg).toContain('fill="#ffffff"');

  // The same figure as a PNG: twice the SVG's size.
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), passAtK.getByTestId('export-png').click()]);
  const png = readFileSync((await pngDownload.path())!);
  await pngDownload.saveAs(test.info().outputPath('figure-light@2x.png')); // to look at
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  const [, svgWidth, svgHeight] = svg.match(/^<svg[^>]* width="(\d+)" height="(\d+)"/)!.map(Number);
  console.log(`[figures.spec] figure ${svgWidth}×${svgHeight}, PNG ${png.readUInt32BE(16)}×${png.readUInt32BE(20)}, SVG ${svg.length} chars`);
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * svgWidth, 2 * svgHeight]);
  expect(errors).toEqual([]);
});
