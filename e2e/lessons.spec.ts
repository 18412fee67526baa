// Lessons (issue 19): each opens from its link and can be walked to its last step by keyboard; the
// "look" step outlines a chart the page really has; the prediction is recalled in the explanation.
// One page for the whole spec (serial): each lesson still opens from its own link (a fresh load of the
// page); only the browser context and tab are not made anew per lesson.
import { expect, test, type Page } from '@playwright/test';

const LESSON_IDS = ['pass-at-k', 'entropy-clip-higher', 'kl', 'positive-negative', 'curricula', 'reward-hacking', 'self-play'];

test.describe.configure({ mode: 'serial' });

let page: Page;
test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
});
test.afterAll(async () => {
  await page.close();
});

for (const id of LESSON_IDS) {
  test(`lesson ${id}: from its link to its last step by keyboard`, async () => {
    await page.goto(`/?lesson=${id}`);
    const panel = page.getByTestId('lesson-panel');
    await expect(panel).toHaveAttribute('data-lesson', id);
    await expect(panel).toHaveAttribute('data-step', '0');
    // No step past the question before a prediction.
    await expect(page.getByTestId('lesson-next')).toBeDisabled();
    await page.getByTestId('lesson-choice').nth(1).check();
    const chosen = (await page.getByTestId('lesson-choice').nth(1).locator('xpath=..').innerText()).trim();
    await panel.locator('h2').click(); // focus off the radio: arrow keys there move the choice
    const last = Number(await panel.getAttribute('data-steps')) - 1;
    for (let step = 1; step <= last; step++) {
      await page.keyboard.press('ArrowRight');
      await expect(panel).toHaveAttribute('data-step', String(step));
      await expect(page).toHaveURL(new RegExp(`[?&]lesson=${id}&step=${step}`));
      const kind = await panel.getAttribute('data-kind');
      if (kind === 'look') {
        // A chart the page has is outlined; one that appears only with a run's points (self-play) says so.
        const look = page.getByTestId('lesson-look');
        if ((await look.getAttribute('data-chart-present')) === 'true') await expect(page.locator('.lesson-highlight')).toHaveCount(1);
        else await expect(look).toContainText('appears once the run has points');
      }
      if (kind === 'explain') await expect(panel).toContainText(`You predicted: ${chosen}`);
    }
    await page.keyboard.press('ArrowRight'); // the last step stays the last
    await expect(panel).toHaveAttribute('data-step', String(last));
    await page.keyboard.press('ArrowLeft');
    await expect(panel).toHaveAttribute('data-step', String(last - 1));
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    await expect(page).not.toHaveURL(/lesson=/);
  });
}

test('a lesson step opens straight from its link', async () => {
  await page.goto('/?lesson=kl&step=2');
  await expect(page.getByTestId('lesson-panel')).toHaveAttribute('data-kind', 'look');
  await expect(page.locator('[data-testid="plot-kl"].lesson-highlight')).toHaveCount(1);
});
