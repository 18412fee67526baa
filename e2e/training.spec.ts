// Training in the page, end to end: the default preset trains on WebGPU with a responsive main thread,
// reward code written in Monaco is what the run trains on, a hanging reward pauses the run without
// hanging the tab, a shared link reproduces the first step exactly, and overlaid runs survive a reload.
// Apart from check 1 (the default preset as a student first sees it), runs are small (2 prompts × 4
// samples, no periodic evaluation) so a step takes seconds under SwiftShader, not tens of seconds.
import { expect, test, type Locator, type Page } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;

/** A small, quick run: 8 samples per step, all of them shown in the sample inspector. */
const SMALL = { algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 }, run: { evalEvery: 0 } };

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const runState = (page: Page) => page.getByTestId('run-state');
const stepOf = async (page: Page) => Number(await runState(page).getAttribute('data-step'));
/** The active run's row (the one the top bar's step counter and the inspector follow). */
const activeRow = (page: Page) => page.locator('[data-testid="run-row"][aria-current="true"]');

interface StepNumbers {
  reward: number;
  loss: number;
  entropy: number;
}

async function lastMetrics(row: Locator): Promise<StepNumbers> {
  const read = async (name: string) => {
    const v = await row.getAttribute(`data-last-${name}`);
    expect(v, `run row data-last-${name}`).not.toBeNull();
    return Number(v);
  };
  return { reward: await read('reward'), loss: await read('loss'), entropy: await read('entropy') };
}

/** Replaces the reward editor's content by typing into Monaco itself. */
async function typeReward(page: Page, code: string): Promise<void> {
  const editor = page.getByTestId('reward-editor');
  await expect(editor.locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });
  const before = await page.evaluate(() => location.hash);
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
  // The config (and so the link, and the code a run gets) follows the editor.
  await expect.poll(() => page.evaluate(() => location.hash), { timeout: 10_000 }).not.toBe(before);
}

/** One "Step" from idle: a paused run is started and steps once. */
async function stepOnceFromIdle(page: Page, expectedStep = 1): Promise<void> {
  await page.getByTestId('step-once').click();
  await expect.poll(() => stepOf(page), { timeout: 150_000 }).toBe(expectedStep);
  // The top bar's pace: steps per second and the time left, from the steps done so far.
  await expect(page.getByTestId('run-pace')).toContainText(/steps\/s · .* left/);
  await expect(runState(page)).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
}

/** A main-thread task from Chromium's trace: wall time, and the CPU time the thread itself used. */
interface TracedTask {
  wallMs: number;
  cpuMs: number;
}

/** The renderer main threads' tasks in a Chromium trace of the 'toplevel' category. */
function mainThreadTasks(trace: Buffer): TracedTask[] {
  type TraceEvent = { ph: string; name: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } };
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  return events
    .filter((e) => e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && mains.has(`${e.pid}:${e.tid}`))
    .map((e) => ({ wallMs: Math.round((e.dur ?? 0) / 1000), cpuMs: Math.round((e.tdur ?? 0) / 1000) }));
}

test('the default preset trains on WebGPU: reward points, steps and metrics, no long main-thread tasks', async ({ page, browser }, testInfo) => {
  // One default step is ~30 s under SwiftShader on a loaded machine, after the step-0 evaluation
  // (32 prompts × 16 samples) of ~40 s: one step fits the budget, so the preset is used as it is.
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  // Long tasks of the whole page life, buffered from before the app's first script.
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number; name: string }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration, name: e.name });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto('/');
  await expect(page.getByTestId('preset-select')).toHaveValue('default');
  const status = page.getByTestId('webgpu-status');
  await expect(status).toHaveAttribute('data-state', 'done');
  expect(await status.getAttribute('data-backend'), `no WebGPU adapter; the page says: ${await status.innerText()}`).toBe('webgpu');
  // The training worker's own backend (the device that trains) is WebGPU too.
  await expect(page.getByTestId('backend-chip')).toHaveAttribute('data-worker-backend', 'webgpu', { timeout: 60_000 });
  await expect(page.getByTestId('worker-backend')).toContainText('WebGPU');
  await expect(page.getByTestId('plot-reward')).toHaveAttribute('data-points', '0');

  // The initial load has settled: from here on, every long task counts. Chromium's trace gives each
  // main-thread task's CPU time next to its wall time (the long-task API has wall time only).
  await browser.startTracing(page, { categories: ['toplevel'] });
  const settledAt = await page.evaluate(() => performance.now());
  const started = Date.now();
  await page.getByTestId('play').click();
  await expect(runState(page)).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  // Waits in the page (toHaveAttribute), not by polling from here: each poll would run Playwright's own
  // script in the page, whose time would count against the app's.
  await expect(runState(page)).toHaveAttribute('data-step', /^[1-9]\d*$/, { timeout: 180_000 });
  const firstStepSeconds = (Date.now() - started) / 1000;
  await expect(page.getByTestId('plot-reward')).toHaveAttribute('data-points', /^[1-9]\d*$/);
  const row = activeRow(page);
  await expect(row).toHaveAttribute('data-steps', /^[1-9]/);
  const m = await lastMetrics(row);
  expect(m.reward).toBeGreaterThanOrEqual(0);
  expect(m.reward).toBeLessThanOrEqual(1);
  expect(Number.isFinite(m.loss)).toBe(true);
  expect(m.entropy).toBeGreaterThan(0);
  // Other charts got the step too, and the inspector shows the step's samples.
  for (const id of ['entropy', 'kl', 'loss', 'grad_norm']) await expect(page.getByTestId(`plot-${id}`)).not.toHaveAttribute('data-points', '0');
  await expect(page.getByTestId('inspected-sample').first()).toBeVisible();
  // Every chart has drawn the step (charts redraw one per task, src/ui/plots/staggeredRedraw.ts).
  await expect(page.getByTestId('plot-loss').locator('.recharts-line').first()).toBeAttached();
  await page.waitForTimeout(500);
  const allTraced = mainThreadTasks(await browser.stopTracing());
  expect(allTraced.length, 'main-thread tasks in the trace').toBeGreaterThan(100);
  const traced = allTraced.filter((t) => t.wallMs > 50);

  const tasks = await page.evaluate(() => (window as unknown as { __longTasks: { start: number; duration: number; name: string }[] }).__longTasks);
  const own = tasks.filter((t) => t.start >= settledAt && (t.name === 'self' || t.name.startsWith('same-origin')));
  const maxWall = own.reduce((m, t) => Math.max(m, t.duration), 0);
  const maxCpu = traced.reduce((m, t) => Math.max(m, t.cpuMs), 0);
  const maxLoad = tasks.filter((t) => t.start < settledAt).reduce((m, t) => Math.max(m, t.duration), 0);
  const summary =
    `first step after ${firstStepSeconds.toFixed(1)} s; while training: ${own.length} long tasks, max ${maxWall.toFixed(0)} ms wall, max main-thread CPU per task ${maxCpu} ms; ` +
    `traced tasks over 50 ms (wall/CPU ms): ${traced.map((t) => `${t.wallMs}/${t.cpuMs}`).join(' ')}; initial load max ${maxLoad.toFixed(0)} ms`;
  testInfo.annotations.push({ type: 'timing', description: summary });
  console.log(`[training.spec] ${summary}`);
  // No task of the page's own takes over 100 ms. Judged by the main thread's CPU time: on a loaded
  // machine (SwiftShader's GPU threads and the training worker share the cores with it), a 30 ms
  // redraw can span 100+ ms of wall time while the thread waits for a core; wall-clock long tasks are
  // reported above, and bounded loosely so that a main thread that blocks (not computes) still fails.
  // Measured: the worst task is a chart's first draw (pass@k, when the step-0 evaluation arrives), 67–70
  // ms of CPU on a loaded 2-core machine since charts keep their recharts props stable and size their
  // y axis before drawing (src/ui/plots/yAxisWidth.ts); 99–105 ms before, in the same conditions.
  expect(traced.filter((t) => t.cpuMs > 100), 'main-thread tasks using over 100 ms of CPU while training').toEqual([]);
  expect(maxWall, 'the longest main-thread task while training (wall ms)').toBeLessThan(1000);
  expect(errors).toEqual([]);
});

test('reward code typed in Monaco is tested against the verifier and is what the run trains on', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto(link({ seed: 11, ...SMALL }));
  await page.getByTestId('config-field-reward-code').check();
  // Short answers score 0.75, long ones 0.25: values the verifier (0 or 1) never gives, so every
  // reward the run records shows whose it is. One line: Monaco auto-closes brackets on typed newlines.
  const rule = (completion: string) => (completion.length <= 2 ? 0.75 : 0.25);
  await typeReward(page, 'function reward({ completion }) { return completion.length <= 2 ? 0.75 : 0.25; } // short answers');

  // "Test on 5 samples": the custom rewards, next to the verifier's.
  await page.getByTestId('test-reward').click();
  await expect(page.getByTestId('test-reward-output')).toHaveAttribute('data-ok', 'true');
  const rows = page.getByTestId('test-reward-row');
  await expect(rows).toHaveCount(5);
  const table = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
  const ours = table.map((cells) => Number.parseFloat(cells[4]));
  const verifier = table.map((cells) => Number.parseFloat(cells[3]));
  const completions = table.map((cells) => (cells[1] === '(empty)' ? '' : cells[1]));
  expect(ours).toEqual(completions.map(rule));
  expect(verifier).toEqual([1, 0, 1, 0, 1]); // reference answers and wrong ones

  // Training uses it: every sample of the step (all 8 are in the inspector) is scored by the rule,
  // and the run's recorded reward (the reward plot's point) is their mean.
  await stepOnceFromIdle(page);
  const samples = page.getByTestId('inspected-sample');
  await expect(samples).toHaveCount(8);
  const scored = await samples.evaluateAll((lis) => lis.map((li) => ({ reward: Number(li.getAttribute('data-reward')), completion: li.getAttribute('data-completion') ?? '', answer: li.getAttribute('data-answer') ?? '' })));
  for (const s of scored) expect(s.reward, `reward of ${JSON.stringify(s.completion)}`).toBe(rule(s.completion));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const { reward } = await lastMetrics(activeRow(page));
  expect(reward).toBeCloseTo(mean(scored.map((s) => rule(s.completion))), 6);
  await expect(page.getByTestId('plot-reward')).toHaveAttribute('data-points', '1');
  console.log(`[training.spec] custom-reward step: reward ${reward}; samples ${JSON.stringify(scored)}`);
  expect(errors).toEqual([]);
});

test('a reward that never returns pauses the run with a timeout; the page stays responsive', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto(link({ seed: 5, ...SMALL }));
  await page.getByTestId('config-field-reward-code').check();
  await typeReward(page, 'function reward({ completion, answer }) { return completion === answer ? 1 : 0; }');
  await page.getByTestId('play').click();
  await expect(runState(page)).toHaveAttribute('data-state', 'running', { timeout: 90_000 });

  // The hanging code goes to the running run from the editor.
  await typeReward(page, 'function reward() { while (true) {} }');
  await page.getByTestId('send-reward-code').click();
  const error = page.getByTestId('session-error');
  await expect(error).toContainText(/did not finish within \d+ ms/, { timeout: 120_000 });
  await expect(runState(page)).toHaveAttribute('data-state', 'paused', { timeout: 30_000 });
  await expect(activeRow(page)).toContainText('paused');

  // Responsive: the main thread answers at once and the UI reacts to clicks.
  const t0 = Date.now();
  expect(await page.evaluate(() => 1)).toBe(1);
  expect(Date.now() - t0, 'page.evaluate round trip (ms)').toBeLessThan(1000);
  const description = page.getByTestId('preset-description');
  await expect(description).toHaveAttribute('open', '');
  await description.locator('summary').click();
  await expect(description).not.toHaveAttribute('open', '');
  await page.getByTestId('run-toggle').first().click();
  await expect(page.getByTestId('run-toggle').first()).not.toBeChecked();
  expect(errors).toEqual([]);
});

test('a shared link opens with the same config and gives the same first step', async ({ page, context }) => {
  test.setTimeout(240_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(link({ seed: 31337, ...SMALL, algorithm: { ...SMALL.algorithm, lr: 0.002, temperature: 0.9 } }));
  await page.getByTestId('config-field-klCoef').fill('0.01');
  await page.getByTestId('config-field-klCoef').press('Enter');
  await expect(page.locator('[data-field="klCoef"]')).toHaveAttribute('data-changed', 'true');

  await page.getByTestId('share').click();
  let url: string;
  if ((await page.getByTestId('share-url').count()) > 0) url = await page.getByTestId('share-url').inputValue();
  else {
    await expect(page.getByTestId('share')).toContainText('copied');
    url = await page.evaluate(() => navigator.clipboard.readText());
  }
  expect(url).toMatch(/#v=1&x=/);

  const fields = (p: Page) =>
    p.locator('[data-testid^="config-field-"], [data-testid="seed"], [data-testid="preset-select"]').evaluateAll((els) =>
      els.map((el) => {
        const input = el as HTMLInputElement;
        return [el.getAttribute('data-testid'), input.type === 'checkbox' || input.type === 'radio' ? String(input.checked) : input.value];
      }),
    );
  const original = await fields(page);
  expect(original.length).toBeGreaterThan(20);

  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByTestId('seed')).toHaveValue('31337');
  expect(await fields(other)).toEqual(original);

  // The same seed on the same adapter: the same samples, so the same first-step numbers.
  await stepOnceFromIdle(page);
  const first = await lastMetrics(activeRow(page));
  const firstRunId = await activeRow(page).getAttribute('data-run-id');
  await page.close(); // one training page at a time on the software GPU

  await stepOnceFromIdle(other);
  await expect(activeRow(other)).toHaveAttribute('data-steps', '1');
  expect(await activeRow(other).getAttribute('data-run-id')).not.toBe(firstRunId);
  const second = await lastMetrics(activeRow(other));
  console.log(`[training.spec] first step here ${JSON.stringify(first)}, from the link ${JSON.stringify(second)}`);
  expect(second.reward).toBe(first.reward);
  expect(second.loss).toBeCloseTo(first.loss, 6);
  expect(second.entropy).toBeCloseTo(first.entropy, 6);
});

test('two overlaid runs (different learning rates) survive a reload', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  await page.goto(link({ seed: 3, ...SMALL }));
  // Run 1: two steps at the preset's learning rate.
  await stepOnceFromIdle(page, 1);
  await page.getByTestId('step-once').click();
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBe(2);
  await expect(runState(page)).toHaveAttribute('data-state', 'paused');

  // Run 2: another learning rate (a live field: no restart asked), then "New run" starts it at step 0.
  await page.getByTestId('config-field-lr').fill('0.004');
  await page.getByTestId('config-field-lr').press('Enter');
  await expect(page.getByTestId('restart-dialog')).toHaveCount(0);
  await page.getByTestId('new-run').click();
  await expect(runState(page)).toHaveAttribute('data-step', '0');
  await expect(runState(page)).toHaveAttribute('data-state', 'paused', { timeout: 90_000 });
  await page.getByTestId('step-once').click();
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBe(1);

  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute('data-steps', '2');
  await expect(rows.nth(1)).toHaveAttribute('data-steps', '1');
  const before = await rows.evaluateAll((lis) => lis.map((li) => ({ id: li.getAttribute('data-run-id'), color: li.getAttribute('data-color'), steps: li.getAttribute('data-steps'), label: li.querySelector('.run-label')?.textContent })));
  expect(before[0].color).not.toBe(before[1].color);
  expect(before[0].label).not.toBe(before[1].label); // the label names what differs (lr)
  // Both runs are drawn on the reward chart, each in its colour.
  const plot = page.getByTestId('plot-reward');
  for (const { color } of before) await expect(plot.locator(`[stroke="${color}"]`).first()).toBeAttached();

  // Both are in storage (written a few times a second), so a reload brings them back.
  await page.waitForTimeout(1000);
  await page.reload();
  await expect(rows).toHaveCount(2, { timeout: 30_000 });
  const after = await rows.evaluateAll((lis) => lis.map((li) => ({ id: li.getAttribute('data-run-id'), color: li.getAttribute('data-color'), steps: li.getAttribute('data-steps'), label: li.querySelector('.run-label')?.textContent })));
  expect(after).toEqual(before);
  for (const { color } of after) await expect(plot.locator(`[stroke="${color}"]`).first()).toBeAttached();
  expect(errors).toEqual([]);
});
