// Reward code that arrives by link (issue 20, classes 2 and 3): the approval dialog shows the code as
// JavaScript will read it — hidden characters labelled, lines broken where the parser breaks them, a
// warning for each trick — and link code never runs unreviewed, whatever reward kind the link chose or
// whichever way the reader then turns to "Your code". The dialog is modal: Tab stays inside it.
import { expect, test } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;

test('the approval dialog makes hidden characters visible and warns about each trick (class 2)', async ({ page }) => {
  // A lone CR ends the "comment" for JavaScript; U+202E reorders the display; a zero-width joiner and a
  // Cyrillic "а" make two names that look the same.
  const code = [
    'function reward({ completion, answer }) {',
    '  // return 0 for everything\rreturn completion.length > 0 ? 1 : 0;',
    '  const ok\u200d = 1;\u2028 const pаyload = "\u202e 1 = drawer";',
    '  return 0;',
    '}',
  ].join('\n');
  await page.goto(link({ reward: { kind: 'code', code } }));
  const modal = page.getByTestId('reward-approval');
  await expect(modal).toBeVisible();
  const shown = page.getByTestId('reward-approval-code');
  // Nothing that reorders or hides text reaches the display; each hidden character has a marker.
  const text = await shown.evaluate((pre) => pre.textContent ?? '');
  expect(text).not.toMatch(/[\r\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
  await expect(page.getByTestId('hidden-char')).toHaveText(['⟨U+000D⟩', '⟨U+200D⟩', '⟨U+2028⟩', '⟨U+202E⟩']);
  await expect(page.getByTestId('mixed-script-word')).toHaveText(['pаyload']);
  // The lone CR starts a new displayed line, as it starts a new line for the parser.
  expect(text.split('\n')[2]).toBe('return completion.length > 0 ? 1 : 0;');
  const warnings = page.getByTestId('reward-approval-warning');
  await expect(warnings).toHaveCount(4);
  await expect(warnings.nth(0)).toContainText('RIGHT-TO-LEFT OVERRIDE');
  await expect(warnings.nth(1)).toContainText('CARRIAGE RETURN');
  await expect(warnings.nth(2)).toContainText('ZERO WIDTH JOINER');
  await expect(warnings.nth(3)).toContainText('Latin + Cyrillic');
});

test('code carried by a weighted link asks for approval when "Your code" is chosen (class 3)', async ({ page }) => {
  await page.goto(link({ reward: { kind: 'weighted', code: 'function reward() { return 7; }' } }));
  await expect(page.getByTestId('config-field-reward-weighted')).toBeChecked();
  await expect(page.getByTestId('reward-approval')).toHaveCount(0); // not used yet: nothing to ask
  await page.getByTestId('config-field-reward-code').check();
  await expect(page.getByTestId('reward-approval')).toBeVisible();
  await expect(page.getByTestId('play')).toBeDisabled();
  await expect(page.getByTestId('test-reward')).toBeDisabled();
});

test('after "Use the verifier instead", choosing "Your code" asks again; "Discard" empties the editor (class 3)', async ({ page }) => {
  await page.goto(link({ reward: { kind: 'code', code: 'function reward() { return 7; }' } }));
  await page.getByTestId('reject-reward').click();
  await expect(page.getByTestId('reward-approval')).toHaveCount(0);
  await expect(page.getByTestId('config-field-reward-verifier')).toBeChecked();
  await page.getByTestId('config-field-reward-code').check();
  await expect(page.getByTestId('reward-approval')).toBeVisible();
  await expect(page.getByTestId('play')).toBeDisabled();
  await page.getByTestId('discard-reward').click();
  await expect(page.getByTestId('reward-approval')).toHaveCount(0);
  await expect(page.getByTestId('config-field-reward-code')).toBeChecked();
  await expect(page.getByTestId('test-reward')).toBeDisabled(); // empty code: nothing to test
});

test('the approval dialog is modal: Tab never leaves it, the page behind cannot be clicked (class 3)', async ({ page }) => {
  await page.goto(link({ reward: { kind: 'code', code: 'function reward() { return 7; }' } }));
  const modal = page.getByTestId('reward-approval');
  await expect(modal).toBeVisible();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    expect(await modal.evaluate((dialog) => dialog.contains(document.activeElement)), `after ${i + 1} Tab presses`).toBe(true);
  }
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await modal.evaluate((dialog) => dialog.contains(document.activeElement)), `after ${i + 1} Shift+Tab presses`).toBe(true);
  }
  // Escape does not dismiss it, and the page behind does not take clicks.
  await page.keyboard.press('Escape');
  await expect(modal).toBeVisible();
  const box = (await page.getByTestId('config-field-reward-verifier').boundingBox())!;
  const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('[data-testid="reward-approval"]') !== null, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
  expect(hit).toBe(true);
});
