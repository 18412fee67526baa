// The sample inspector's "Explain this number" and step picker, in the built app on WebGPU: after two
// small steps, a token chosen by click (and one by keyboard) explains its loss term with finite numbers
// that add up (ℓ ÷ normaliser = its contribution), the panel covers no chart (desktop and phone), and
// the picker goes back to the earlier step.
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;
/** 2 prompts × 4 samples, no periodic evaluation: a step takes seconds under SwiftShader. */
const SMALL = { algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 }, run: { evalEvery: 0 } };

const stepOf = async (page: Page) => Number(await page.getByTestId('run-state').getAttribute('data-step'));

async function stepOnce(page: Page, expected: number): Promise<void> {
  await page.getByTestId('step-once').click();
  await expect.poll(() => stepOf(page), { timeout: 150_000 }).toBe(expected);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
}

/** Every number the open panel shows, by test id. */
async function panelNumbers(page: Page): Promise<Record<string, number>> {
  const cells = page.getByTestId('explain-panel').locator('[data-value]');
  const pairs = await cells.evaluateAll((els) => els.map((el) => [el.getAttribute('data-testid') ?? '', Number(el.getAttribute('data-value'))] as const));
  return Object.fromEntries(pairs);
}

/** Charts whose box intersects the open explanation panel's. */
async function overlappedCharts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const panel = document.querySelector('[data-testid="explain-panel"]')!.getBoundingClientRect();
    return [...document.querySelectorAll<HTMLElement>('[data-testid^="plot-"]')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.left < panel.right && panel.left < r.right && r.top < panel.bottom && panel.top < r.bottom;
      })
      .map((el) => el.dataset.testid ?? '');
  });
}

test('a token explains its loss with finite numbers, and the step picker goes back a step', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(link({ seed: 7, ...SMALL }));
  await stepOnce(page, 1);
  await stepOnce(page, 2);

  const inspector = page.getByTestId('sample-inspector');
  const picker = inspector.getByTestId('inspector-step');
  // Steps 0 and 1 are kept (0-based, as the inspector labels them), latest first.
  await expect(picker.locator('option')).toHaveText(['latest (1)', '1', '0']);
  await expect(inspector.getByTestId('inspector-shown-step')).toHaveAttribute('data-step', '1');

  // Click the second sample's first token.
  const chip = inspector.getByTestId('inspected-sample').nth(1).getByTestId('token-chip').first();
  await chip.click();
  await expect(chip).toHaveAttribute('aria-expanded', 'true');
  const panel = inspector.getByTestId('explain-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading')).toBeFocused();
  const numbers = await panelNumbers(page);
  for (const id of ['explain-old-logprob', 'explain-logprob', 'explain-ref-logprob', 'explain-ratio', 'explain-advantage', 'explain-kl', 'explain-line-pg', 'explain-line-loss', 'explain-line-contribution']) {
    expect(Number.isFinite(numbers[id]), `${id} = ${numbers[id]}`).toBe(true);
  }
  // One pass per batch (the default): ρ = 1, and the panel says so.
  expect(numbers['explain-ratio']).toBe(1);
  await expect(panel).toContainText('ρ = 1');
  await expect(panel.getByTestId('explain-line-pg')).toContainText('clip(ρ, 1−0.2, 1+0.2)');
  // Token-mean: the contribution is ℓ ÷ the batch's token count.
  const tokens = Number((await panel.getByTestId('explain-line-contribution').textContent())?.match(/÷ (\d+) tokens in the batch/)?.[1]);
  expect(tokens).toBeGreaterThan(0);
  expect(numbers['explain-line-contribution']).toBeCloseTo(numbers['explain-line-loss'] / tokens, 6);
  // The panel lies in the inspector's flow: it covers no chart, and on a phone it makes no sideways scroll.
  expect(await overlappedCharts(page)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(panel).toBeVisible();
  expect(await overlappedCharts(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 800 });
  // Opening pins the step: the picker now holds step 1.
  await expect(picker).toHaveValue('1');
  console.log(`[inspector.spec] explained token: ${JSON.stringify(numbers)}`);

  // Escape closes it and gives the focus back to the token; Enter on a focused token opens one.
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(chip).toBeFocused();
  const other = inspector.getByTestId('inspected-sample').first().getByTestId('token-chip').nth(1);
  await other.focus();
  await page.keyboard.press('Enter');
  await expect(inspector.getByTestId('explain-panel')).toBeVisible();
  await expect(other).toHaveAttribute('aria-expanded', 'true');

  // The earlier step: other samples, explained too.
  const latestPrompts = await inspector.getByTestId('inspected-sample').evaluateAll((lis) => lis.map((li) => `${li.querySelector('.sample-prompt')?.textContent ?? ''} → ${li.getAttribute('data-completion') ?? ''}`));
  await picker.selectOption('0');
  await expect(inspector.getByTestId('inspector-shown-step')).toHaveAttribute('data-step', '0');
  await expect(inspector.getByTestId('explain-panel')).toHaveCount(0);
  const earlierPrompts = await inspector.getByTestId('inspected-sample').evaluateAll((lis) => lis.map((li) => `${li.querySelector('.sample-prompt')?.textContent ?? ''} → ${li.getAttribute('data-completion') ?? ''}`));
  expect(earlierPrompts).not.toEqual(latestPrompts);
  await inspector.getByTestId('inspected-sample').first().getByTestId('token-chip').first().click();
  const earlier = await panelNumbers(page);
  expect(Number.isFinite(earlier['explain-line-contribution'])).toBe(true);
  // At step 0 the policy is the reference: its KL estimate is 0.
  expect(Math.abs(earlier['explain-kl'])).toBeLessThan(1e-5);
  await expect(inspector.getByTestId('explain-panel')).toContainText('step 0');
  expect(errors).toEqual([]);
});
