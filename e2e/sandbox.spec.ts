// The reward sandbox through the page's "Test on 5 samples" (issue 20): a fresh realm per batch, so what
// reward code keeps between calls does not grow (class 1); no forged replies (class 7); component names
// and reward sizes that would corrupt the metrics are refused with a clear message (class 8).
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;

/** Opens a link carrying `code`, approves it, and runs "Test on 5 samples" `times` times. */
async function testCode(page: Page, code: string, times = 1) {
  await page.goto(link({ reward: { kind: 'code', code } }));
  await page.getByTestId('approve-reward').click();
  const output = page.getByTestId('test-reward-output');
  for (let i = 0; i < times; i++) {
    await page.getByTestId('test-reward').click();
    await expect(page.getByTestId('test-reward')).toHaveText('Test on 5 samples', { timeout: 60_000 });
    await expect(output).toBeVisible();
  }
  return output;
}

test('what reward code keeps between batches starts empty in every batch (class 1)', async ({ page }) => {
  const output = await testCode(page, 'const kept = [];\nfunction reward() { kept.push(new Float64Array(1 << 20)); return kept.length; }', 2);
  await expect(output).toHaveAttribute('data-ok', 'true');
  // A reused sandbox answered 6 … 10 the second time: the 8 MiB arrays of the first batch were still held.
  await expect(page.getByTestId('test-reward-value')).toHaveText(['1', '2', '3', '4', '5']);
});

test('reward code cannot forge the sandbox\'s reply with a synthetic MessageEvent (class 7)', async ({ page }) => {
  const code = `function reward(s) {
  const samples = [0, 1, 2, 3, 4].map(() => ({ ...s }));
  for (let id = 0; id < 50; id++) {
    try { dispatchEvent(new MessageEvent('message', { data: { type: 'evaluate', id, code: 'function reward() { return 999; }', samples } })); } catch {}
  }
  return 0.25;
}`;
  const output = await testCode(page, code);
  await expect(output).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('test-reward-value')).toHaveText(['0.250', '0.250', '0.250', '0.250', '0.250']);
});

test('components named like Object.prototype members, and huge rewards, are refused clearly (class 8)', async ({ page }) => {
  const named = await testCode(page, 'function reward() { return { reward: 1, components: { toString: 1, constructor: 2 } }; }');
  await expect(named).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('test-reward-error')).toContainText('a component named "toString", a name every JavaScript object already has');
  const huge = await testCode(page, 'function reward() { return 1e308; }');
  await expect(huge).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('test-reward-error')).toContainText('returned 1e+308, which is too large: rewards and components must lie within ±1000000');
});

test('reward code has no WebGL, WebGPU or OffscreenCanvas (class 9)', async ({ page }) => {
  const code = `function reward() {
  let gl = null;
  try { gl = new OffscreenCanvas(4, 4).getContext('webgl2'); } catch {}
  return gl === null && typeof OffscreenCanvas === 'undefined' && typeof WebGL2RenderingContext === 'undefined' && typeof GPU === 'undefined' ? 1 : 0;
}`;
  const output = await testCode(page, code);
  await expect(output).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('test-reward-value')).toHaveText(['1', '1', '1', '1', '1']);
});
