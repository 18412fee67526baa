// Progressive disclosure (issue 19 item 7): the one-line intro, and Basic / Advanced views of the
// configuration, remembered on this browser and settable by a link (?view=basic).
import { expect, test } from '@playwright/test';

test('the intro line says what this is, and stays dismissed', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('intro-header')).toContainText('Press ▶ Play');
  await page.getByTestId('intro-dismiss').click();
  await expect(page.getByTestId('intro-header')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('plot-reward')).toBeVisible();
  await expect(page.getByTestId('intro-header')).toHaveCount(0);
});

test('Basic hides ε_high and shows the learning rate; Advanced shows both; the choice is remembered', async ({ page }) => {
  await page.goto('/?view=basic');
  await expect(page.getByTestId('config-panels')).toHaveAttribute('data-view', 'basic');
  for (const f of ['task', 'estimator', 'lr', 'samplesPerPrompt', 'klCoef', 'curriculum-kind']) await expect(page.getByTestId(`config-field-${f}`)).toBeVisible();
  await expect(page.getByTestId('section-reward')).toBeVisible();
  await expect(page.getByTestId('config-field-clipHigh')).toHaveCount(0);
  await expect(page.getByTestId('config-field-promptsPerStep')).toHaveCount(0);
  await expect(page.getByTestId('section-selfplay')).toHaveCount(0);

  await page.getByTestId('config-view-advanced').check();
  await expect(page.getByTestId('config-field-clipHigh')).toBeVisible();
  await expect(page.getByTestId('config-field-lr')).toBeVisible();

  await page.getByTestId('config-view-basic').check();
  await expect(page.getByTestId('config-field-clipHigh')).toHaveCount(0);
  // No link option now: the remembered choice decides.
  await page.goto('/');
  await expect(page.getByTestId('config-panels')).toHaveAttribute('data-view', 'basic');
  await expect(page.getByTestId('config-field-lr')).toBeVisible();
  await expect(page.getByTestId('config-field-clipHigh')).toHaveCount(0);
  // A link's option wins over the remembered one.
  await page.goto('/?view=advanced');
  await expect(page.getByTestId('config-field-clipHigh')).toBeVisible();
});
