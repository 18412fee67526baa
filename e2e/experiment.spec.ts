// The experiment page: presets, the URL as the experiment (share, restore, bad links), reward code
// from a link waiting for approval, and the reward editor's "Test on 5 samples". Links are built
// here with lz-string directly (the app's codec imports shader sources Node cannot load).
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object, version = 1) => `/#v=${version}&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;

/** Fails the test on any page error (console errors from the GPU stack are reported, not fatal). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('a fresh load shows the default preset', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('preset-select')).toHaveValue('default');
  await expect(page.getByTestId('preset-description')).toContainText('GRPO on addition');
  await expect(page.getByTestId('preset-description')).toContainText('pass@1');
  await expect(page.getByTestId('notes-banner')).toHaveCount(0);
  await expect(page.getByTestId('config-field-lr')).toHaveValue('0.0003');
  await expect(page.getByTestId('config-field-estimator')).toHaveValue('grpo');
  await expect(page.getByTestId('seed')).toHaveValue('1');
  await expect(page.getByTestId('play')).toBeEnabled();
  await expect(page.locator('[data-changed="true"]')).toHaveCount(0);
  // The hash mirrors the (default) config.
  await expect.poll(() => page.evaluate(() => location.hash)).toBe('#v=1');
  for (const id of ['step-once', 'new-run', 'reset-settings', 'share', 'share-length', 'new-seed', 'webgpu-status']) await expect(page.getByTestId(id)).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('Share copies a link that restores the seed and learning rate', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByTestId('seed').fill('4242');
  await page.getByTestId('seed').press('Enter');
  await page.getByTestId('config-field-lr').fill('0.003');
  await page.getByTestId('config-field-lr').press('Enter');
  await expect(page.locator('[data-field="lr"]')).toHaveAttribute('data-changed', 'true');
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share')).toContainText('copied');
  const url = await page.evaluate(() => navigator.clipboard.readText());
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#v=1&x=[A-Za-z0-9+$-]+$/);
  await expect(page.getByTestId('share-length')).toHaveAttribute('data-length', String(url.length));
  await expect(page.getByTestId('share-length')).toHaveAttribute('data-too-long', 'false');

  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByTestId('seed')).toHaveValue('4242');
  await expect(other.getByTestId('config-field-lr')).toHaveValue('0.003');
  await expect(other.getByTestId('notes-banner')).toHaveCount(0);
  // Reset to the preset's value clears the mark.
  await other.getByTestId('reset-lr').click();
  await expect(other.getByTestId('config-field-lr')).toHaveValue('0.0003');
  await expect(other.locator('[data-field="lr"]')).toHaveAttribute('data-changed', 'false');
});

test('a link with a preset, seed and learning rate restores them', async ({ page }) => {
  await page.goto(link({ preset: 'clip-higher', seed: 77, algorithm: { lr: 0.005 } }));
  await expect(page.getByTestId('preset-select')).toHaveValue('clip-higher');
  await expect(page.getByTestId('seed')).toHaveValue('77');
  await expect(page.getByTestId('config-field-lr')).toHaveValue('0.005');
  await expect(page.getByTestId('config-field-clipHigh')).toHaveValue('0.28');
  await expect(page.getByTestId('config-field-ppoEpochs')).toHaveValue('2');
  // clipHigh is the preset's own value: not marked as changed; lr is.
  await expect(page.locator('[data-field="clipHigh"]')).toHaveAttribute('data-changed', 'false');
  await expect(page.locator('[data-field="lr"]')).toHaveAttribute('data-changed', 'true');
  await expect(page.getByTestId('notes-banner')).toHaveCount(0);
});

const valid = link({ seed: 9, reward: { kind: 'code', code: 'function reward({ completion, answer }) {\n  return completion === answer ? 1 : 0;\n}\n'.repeat(3) } });
const badLinks: [string, string][] = [
  ['corrupted', '/#v=1&x=%%%not*lz*data%%%'],
  ['truncated', valid.slice(0, Math.floor(valid.length / 2))],
  ['oversized', `/#v=1&x=${'A'.repeat(40_000)}`],
  ['wrong-version', link({ seed: 5 }, 99)],
];

for (const [name, href] of badLinks) {
  test(`a ${name} link shows the notes banner and a usable page`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(href);
    const banner = page.getByTestId('notes-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('What this link could not set');
    if (name === 'wrong-version') await expect(banner).toContainText('newer version');
    // Usable: the defaults are loaded and editable, the run controls work.
    await expect(page.getByTestId('preset-select')).toHaveValue('default');
    await expect(page.getByTestId('reward-approval')).toHaveCount(0);
    await expect(page.getByTestId('play')).toBeEnabled();
    await page.getByTestId('config-field-lr').fill('0.002');
    await page.getByTestId('config-field-lr').press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#v=1&x=/);
    await page.getByTestId('dismiss-notes').click();
    await expect(banner).toHaveCount(0);
    expect(errors).toEqual([]);
  });
}

test('reward code from a link waits for approval before it runs', async ({ page }) => {
  const code = 'function reward({ completion }) {\n  return 0.5; // <img src=x onerror="window.pwned=1">\n}\n';
  await page.goto(link({ reward: { kind: 'code', code } }));
  const modal = page.getByTestId('reward-approval');
  await expect(modal).toBeVisible();
  // Shown as text, never as HTML.
  await expect(page.getByTestId('reward-approval-code')).toHaveText(code.trimEnd());
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.getByTestId('play')).toBeDisabled();
  await expect(page.getByTestId('test-reward')).toBeDisabled();
  await page.getByTestId('approve-reward').click();
  await expect(modal).toHaveCount(0);
  await expect(page.getByTestId('play')).toBeEnabled();
  await page.getByTestId('test-reward').click();
  const output = page.getByTestId('test-reward-output');
  await expect(output).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('test-reward-value')).toHaveText(['0.500', '0.500', '0.500', '0.500', '0.500']);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
});

test('"Use the verifier instead" refuses reward code from a link', async ({ page }) => {
  await page.goto(link({ reward: { kind: 'code', code: 'function reward() { return 1 }' } }));
  await page.getByTestId('reject-reward').click();
  await expect(page.getByTestId('reward-approval')).toHaveCount(0);
  await expect(page.getByTestId('config-field-reward-verifier')).toBeChecked();
  await expect(page.getByTestId('play')).toBeEnabled();
});

test('the reward editor: a template, an edit in Monaco, and Test on 5 samples', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByTestId('config-field-reward-code').check();
  const editor = page.getByTestId('reward-editor');
  await expect(editor.locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('reward-template-short-answers').click();
  await expect(editor.locator('.view-lines')).toContainText('const extra');
  await page.getByTestId('test-reward').click();
  await expect(page.getByTestId('test-reward-output')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('test-reward-row')).toHaveCount(5);
  // Reference answers score 1 (no extra characters), wrong ones 0 or less.
  const values = await page.getByTestId('test-reward-value').allInnerTexts();
  expect(values.map((v) => Number.parseFloat(v))).toEqual([1, expect.any(Number), 1, expect.any(Number), 1]);

  // Type new code into Monaco itself.
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('function reward({ completion, answer }) { return completion === answer ? 2 : -1; }');
  await expect(editor.locator('.view-lines')).toContainText('? 2 : -1');
  await page.getByTestId('test-reward').click();
  await expect(page.getByTestId('test-reward-value')).toHaveText(['2', '-1', '2', '-1', '2']);
  // The code is part of the experiment: it is in the link.
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#v=1&x=/);

  // A throwing reward shows the error instead of rewards.
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('function reward() { throw new Error("nope"); }');
  await page.getByTestId('test-reward').click();
  await expect(page.getByTestId('test-reward-output')).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('test-reward-error')).toContainText('nope');
  expect(errors).toEqual([]);
});

test('mid-run: a live change applies at once, a structural one asks to restart', async ({ page }) => {
  test.setTimeout(240_000);
  // A small, quick run on a task with a base checkpoint; no evaluation, so steps come fast.
  await page.goto(link({ task: { id: 'reversal' }, algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 }, run: { evalEvery: 0 } }));
  const state = page.getByTestId('run-state');
  const step = async () => Number(await state.getAttribute('data-step'));
  await page.getByTestId('play').click();
  await expect(state).toHaveAttribute('data-state', 'running', { timeout: 90_000 });

  // Live: the learning rate goes to the worker, no dialog.
  await page.getByTestId('config-field-lr').fill('0.002');
  await page.getByTestId('config-field-lr').press('Enter');
  await expect(page.getByTestId('restart-dialog')).toHaveCount(0);
  await expect(page.getByTestId('config-field-lr')).toHaveValue('0.002');

  // Structural: prompts per step needs a restart; cancelling keeps the old value.
  await page.getByTestId('config-field-promptsPerStep').fill('3');
  await page.getByTestId('config-field-promptsPerStep').press('Enter');
  await expect(page.getByTestId('restart-dialog')).toBeVisible();
  await expect(page.getByTestId('restart-dialog')).toContainText('algorithm.promptsPerStep');
  await page.getByTestId('restart-cancel').click();
  await expect(page.getByTestId('restart-dialog')).toHaveCount(0);
  await expect(page.getByTestId('config-field-promptsPerStep')).toHaveValue('2');

  await expect.poll(step, { timeout: 120_000 }).toBeGreaterThan(0);
  await page.getByTestId('pause').click();
  await expect(state).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  const before = await step();
  await page.getByTestId('step-once').click();
  await expect.poll(step, { timeout: 60_000 }).toBe(before + 1);

  // Restart with the change: a new run at step 0, paused as the old one was.
  await page.getByTestId('config-field-promptsPerStep').fill('3');
  await page.getByTestId('config-field-promptsPerStep').press('Enter');
  await page.getByTestId('restart-confirm').click();
  await expect(page.getByTestId('config-field-promptsPerStep')).toHaveValue('3');
  await expect(state).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  await expect(state).toHaveAttribute('data-step', '0');
});
