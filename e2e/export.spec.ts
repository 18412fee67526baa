// "Export" in the top bar: the experiment as a zip for TRL / verl / OpenRLHF. The zip is downloaded,
// opened here (fflate) and its README must list the settings that do not map: DUMP and SEC curricula,
// the dual clip and k2-in-the-loss (TRL has neither), and self-play loops. SEC, dual clip and k2 have no
// preset, so their experiments come as links (built with lz-string, as the page's own codec builds them).
import { expect, test, type Page } from '@playwright/test';
import { unzipSync, strFromU8 } from 'fflate';
import { readFileSync } from 'node:fs';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;

async function exportZip(page: Page, target: 'trl' | 'verl' | 'openrlhf'): Promise<{ name: string; files: Record<string, Uint8Array> }> {
  await page.getByTestId('export-target').selectOption(target);
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export').click();
  const download = await downloading;
  const path = await download.path();
  await expect(page.getByTestId('export-status')).toBeVisible();
  return { name: download.suggestedFilename(), files: unzipSync(new Uint8Array(readFileSync(path))) };
}

function unmappedSection(files: Record<string, Uint8Array>, folder: string): string {
  const readme = strFromU8(files[`${folder}/README.md`]);
  const start = readme.indexOf('## Settings that do not map');
  expect(start).toBeGreaterThan(0);
  return readme.slice(start, readme.indexOf('\n## ', start + 5));
}

const CASES: { what: string; url: string; target: 'trl' | 'verl' | 'openrlhf'; unmapped: string[] }[] = [
  { what: 'DUMP preset', url: link({ preset: 'curriculum-dump' }), target: 'trl', unmapped: ['**curriculum** (dump'] },
  { what: 'SEC curriculum (link)', url: link({ task: { arms: ['d1', 'd2', 'd3', 'd4'] }, curriculum: { kind: 'sec' } }), target: 'verl', unmapped: ['**curriculum** (sec'] },
  { what: 'dual clip (link)', url: link({ algorithm: { dualClip: 3, ppoEpochs: 2 } }), target: 'trl', unmapped: ['**dual clip c** (3)'] },
  { what: 'k2 in the loss (link)', url: link({ algorithm: { klCoef: 0.05, klEstimator: 'k2', klInReward: false } }), target: 'trl', unmapped: ['**KL estimator** (k2 in the loss)'] },
  { what: 'self-play preset', url: link({ preset: 'selfplay-spin' }), target: 'openrlhf', unmapped: ['**self-play loop** (spin'] },
];

for (const c of CASES) {
  test(`export: ${c.what} → ${c.target} zip whose README lists what does not map`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(c.url);
    await expect(page.getByTestId('export')).toBeEnabled();
    const { name, files } = await exportZip(page, c.target);
    expect(name).toMatch(new RegExp(`^rlvr-addition-.*-${c.target}\\.zip$`));
    const folder = name.replace(/\.zip$/, '');
    for (const f of ['README.md', 'reward.py', 'data/train.jsonl', 'data/test.jsonl', 'model/model.safetensors', 'model/config.json', 'model/tokenizer.json']) {
      expect(Object.keys(files), f).toContain(`${folder}/${f}`);
    }
    const section = unmappedSection(files, folder);
    for (const u of c.unmapped) expect(section).toContain(u);
    expect(JSON.parse(strFromU8(files[`${folder}/model/config.json`])).model_type).toBe('gpt2');
    expect(errors).toEqual([]);
  });
}

test('export carries the configuration for the chosen engine', async ({ page }) => {
  await page.goto(link({ algorithm: { dualClip: 3 } }));
  const { name, files } = await exportZip(page, 'verl');
  const folder = name.replace(/\.zip$/, '');
  expect(strFromU8(files[`${folder}/verl_config.yaml`])).toContain('clip_ratio_c: 3');
  expect(strFromU8(files[`${folder}/run_verl.sh`])).toContain('verl.trainer.main_ppo');
  const row = JSON.parse(strFromU8(files[`${folder}/data/train.jsonl`]).split('\n')[0]);
  expect(row.reward_model.style).toBe('rule');
});

test('after a step, Export carries the run\'s current policy, not the starting one', async ({ page }) => {
  await page.goto('/');
  const before = await exportZip(page, 'trl');
  const folder = before.name.replace(/\.zip$/, '');
  expect(strFromU8(before.files[`${folder}/README.md`])).toContain('Policy: the shipped base checkpoint of addition');
  await page.getByTestId('step-once').click();
  await expect.poll(async () => Number(await page.getByTestId('run-state').getAttribute('data-step')), { timeout: 150_000 }).toBe(1);
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  const after = await exportZip(page, 'trl');
  expect(strFromU8(after.files[`${folder}/README.md`])).toMatch(/Policy: the policy after 1 steps of run "[^"]+" in the lab/);
  // One RL step at lr 3e-4 moved the weights.
  expect(Buffer.from(after.files[`${folder}/model/model.safetensors`]).equals(Buffer.from(before.files[`${folder}/model/model.safetensors`]))).toBe(false);
});
