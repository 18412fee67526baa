// A classroom link (issue 19 item 4): `?hide=` removes groups of controls, `?lock=` shows them disabled
// with the instructor's note (lock=seed fixes the seed), `?stopAt=` pauses the run at that step with a
// message, and Play goes on past it. Bad option values give notes, never a broken page. The builder in
// the top bar ("Share as classroom link…") writes such a link from its checkboxes.
import { expect, test } from '@playwright/test';
import LZString from 'lz-string';

const SMALL = { seed: 77, algorithm: { promptsPerStep: 2, samplesPerPrompt: 2 }, run: { steps: 6, evalEvery: 0 } };
const hash = `#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(SMALL))}`;

test('a classroom link hides and locks groups of controls and pauses the run at its step', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/?hide=model,curriculum,gallery&lock=algorithm,seed&stopAt=2&hide=x${hash}`);

  const banner = page.getByTestId('classroom-banner');
  await expect(banner).toContainText('hides Model & base checkpoint, Curriculum, Gallery');
  await expect(banner).toContainText('locks Algorithm, Seed');
  await expect(banner).toContainText('pauses each run at step 2');
  // The repeated hide= is named in a note (the first one is used).
  await expect(page.getByTestId('classroom-notes')).toContainText('hide= 2 times');

  // Hidden: not in the page at all.
  await expect(page.getByTestId('section-model')).toHaveCount(0);
  await expect(page.getByTestId('section-curriculum')).toHaveCount(0);
  await expect(page.getByTestId('open-gallery')).toHaveCount(0);
  // Locked: shown, disabled, with the note; the rest stays editable.
  const algorithm = page.getByTestId('locked-algorithm');
  await expect(algorithm).toContainText("locked by the instructor's link");
  await expect(algorithm.getByTestId('section-algorithm')).toBeVisible();
  await expect(page.getByTestId('config-field-lr')).toBeDisabled();
  await expect(page.getByTestId('seed')).toBeDisabled();
  await expect(page.getByTestId('seed')).toHaveValue('77');
  await expect(page.getByTestId('new-seed')).toBeDisabled();
  await expect(page.getByTestId('config-field-task')).toBeEnabled();
  await page.screenshot({ path: test.info().outputPath('classroom-locked.png') }); // to look at

  // The run pauses by itself at step 2, says so, and Play goes on past it.
  await page.getByTestId('play').click();
  const state = page.getByTestId('run-state');
  await expect(state).toHaveAttribute('data-state', 'paused', { timeout: 180_000 });
  await expect(state).toHaveAttribute('data-step', '2');
  await expect(page.getByTestId('stop-at-notice')).toHaveText('Stopped at step 2 as the link asks; press Play to go on.');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('stop-at-notice')).toHaveCount(0);
  await expect.poll(async () => Number(await state.getAttribute('data-step')), { timeout: 120_000 }).toBeGreaterThan(2);
  expect(errors).toEqual([]);
});

test('the classroom link builder writes the options it is given, and bad options only give notes', async ({ page }) => {
  await page.goto(`/?lock=nothing&stopAt=zero${hash}`);
  await expect(page.getByTestId('classroom-notes')).toContainText('"nothing" in lock=');
  await expect(page.getByTestId('classroom-notes')).toContainText('stopAt="zero"');
  await expect(page.getByTestId('seed')).toBeEnabled();

  await page.getByTestId('classroom-link-open').click();
  const dialog = page.getByTestId('classroom-link-dialog');
  await dialog.getByTestId('classroom-hide-selfplay').check();
  await dialog.getByTestId('classroom-lock-seed').check();
  await dialog.getByTestId('classroom-stop-at').fill('5');
  await page.screenshot({ path: test.info().outputPath('classroom-dialog.png') }); // to look at
  const url = new URL(await dialog.getByTestId('classroom-link-url').inputValue());
  expect(url.searchParams.get('hide')).toBe('selfplay');
  expect(url.searchParams.get('lock')).toBe('seed');
  expect(url.searchParams.get('stopAt')).toBe('5');
  expect(url.hash).toMatch(/^#v=1&x=/);
  await dialog.getByTestId('classroom-link-close').click();

  // The link it wrote opens as it says.
  await page.goto(`${url.pathname}${url.search}${url.hash}`);
  await expect(page.getByTestId('seed')).toBeDisabled();
  await expect(page.getByTestId('seed')).toHaveValue('77');
  await expect(page.getByTestId('section-selfplay')).toHaveCount(0);
  await expect(page.getByTestId('classroom-banner')).toContainText('pauses each run at step 5');
  // A locked value holds whatever else changes it: another preset keeps the link's seed.
  await page.getByTestId('preset-select').selectOption('negative-only');
  await expect(page.getByTestId('config-field-negativeWeight')).toHaveValue('1');
  await expect(page.getByTestId('config-field-positiveWeight')).toHaveValue('0');
  await expect(page.getByTestId('seed')).toHaveValue('77');
});
