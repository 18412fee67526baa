// npm run pretrain [-- --task addition] [--max-steps N]
// npm run pretrain -- [--batch 64] [--lr 3e-3] [--weights d1:1,d2:3] [--min-ready 9] [--snapshots dir] [--out dir]   recipe overrides
// npm run pretrain -- --reevaluate [--task ...]   re-measure shipped checkpoints with the current recipe's evaluation
// Trains a base policy per task on the CPU backend (seeded, reproducible) and writes
// public/checkpoints/<task>.safetensors plus public/checkpoints/manifest.json: config, recipe, how long
// it took, and each arm's held-out pass@1 / pass@16 and the share of its sampled completions cut off by
// the task's answer budget.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { CpuBackend } from '../src/engine/backend/cpu/cpuBackend';
import { setBackend } from '../src/engine';
import { parseCheckpoint, serializeCheckpoint } from '../src/model/checkpoint';
import { defaultGptConfig } from '../src/model/config';
import { createParams, disposeParams, initGptParams, readParams } from '../src/model/params';
import { SftTrainer, warmupCosine } from '../src/model/sft';
import { evaluateArm, type ArmEvaluation } from '../src/rl/evaluate';
import { createRng } from '../src/tasks/random';
import { TASKS, getTask } from '../src/tasks/registry';
import { encodeCompletion, encodePrompt } from '../src/tasks/tokenizer';
import { baseRecipe, taskRecipes, type PretrainRecipe } from './pretrainRecipe';

const OUT_DIR = argValue('out') ?? 'public/checkpoints';
const MANIFEST = `${OUT_DIR}/manifest.json`;

interface ManifestEntry {
  task: string;
  file: string;
  config: PretrainRecipe['model'];
  recipe: Omit<PretrainRecipe, 'model'>;
  steps: number;
  seconds: number;
  /** Arms whose base pass@1 lies in the RL-ready band (what RL presets should train on). */
  rlArms: string[];
  arms: ArmEvaluation[];
  history: { step: number; loss: number; pass1: Record<string, number>; cutOff: Record<string, number> }[];
  made: string;
}

function isReady(e: ArmEvaluation, r: PretrainRecipe): boolean {
  if (r.candidateArms && !r.candidateArms.includes(e.arm)) return false;
  const p1 = e.passAtK['1'];
  const p16 = e.passAtK[String(r.evalSamples)] ?? p1;
  // A completion that does not stop within the answer budget scores as overlong in RL: the base must stop.
  const stops = (e.cutOff ?? 1) < r.maxCutOff;
  return p1 >= r.minPass1 && p1 <= r.maxPass1 && p16 - p1 >= r.minHeadroom && stops;
}

async function evaluateAll(recipe: PretrainRecipe, params: Parameters<typeof evaluateArm>[1], taskId: string, greedy = false): Promise<ArmEvaluation[]> {
  const task = getTask(taskId);
  const results: ArmEvaluation[] = [];
  for (const arm of task.arms) {
    results.push(await evaluateArm(recipe.model, params, task, arm.id, { prompts: recipe.evalPrompts, samplesPerPrompt: recipe.evalSamples, temperature: 1, seed: recipe.seed, greedy }));
  }
  return results;
}

async function pretrainTask(taskId: string, recipe: PretrainRecipe): Promise<ManifestEntry> {
  const task = getTask(taskId);
  const started = performance.now();
  const params = initGptParams(recipe.model, recipe.seed);
  const trainer = new SftTrainer(recipe.model, params, { lr: recipe.peakLr, weightDecay: 0.01, maxGradNorm: 1 });
  const rng = createRng(recipe.seed ^ 0x5f7);
  const history: ManifestEntry['history'] = [];
  const weights = recipe.sftArmWeights ?? Object.fromEntries(task.arms.map((a) => [a.id, 1]));
  const weighted = Object.entries(weights).filter(([, w]) => w > 0);
  const totalWeight = weighted.reduce((acc, [, w]) => acc + w, 0);
  const pickArm = (): string => {
    let u = rng.nextFloat() * totalWeight;
    for (const [arm, w] of weighted) if ((u -= w) < 0) return arm;
    return weighted[weighted.length - 1][0];
  };
  let evaluation: ArmEvaluation[] = [];
  let step = 0;
  let lossSum = 0;
  for (; step < recipe.maxSteps; step++) {
    const examples = Array.from({ length: recipe.batchSize }, () => {
      const p = task.generate(pickArm(), rng);
      return { prompt: encodePrompt(p.prompt), completion: encodeCompletion(p.answer) };
    });
    const { loss } = await trainer.step(examples, warmupCosine(step, recipe.maxSteps, recipe.peakLr, recipe.warmupSteps));
    lossSum += loss;
    if ((step + 1) % recipe.evalEvery === 0) {
      evaluation = await evaluateAll(recipe, params, taskId);
      const pass1 = Object.fromEntries(evaluation.map((e) => [e.arm, e.passAtK['1']]));
      const cutOff = Object.fromEntries(evaluation.map((e) => [e.arm, e.cutOff ?? NaN]));
      history.push({ step: step + 1, loss: lossSum / recipe.evalEvery, pass1, cutOff });
      const ready = evaluation.filter((e) => isReady(e, recipe)).map((e) => e.arm);
      console.log(`[${taskId}] step ${step + 1} loss ${(lossSum / recipe.evalEvery).toFixed(3)} pass@1 ${JSON.stringify(pass1)} cut off ${JSON.stringify(cutOff)} ready ${ready.join(',') || '-'} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      lossSum = 0;
      const snapshotDir = argValue('snapshots');
      if (snapshotDir) {
        // Exploration aid: every evaluated step's weights, to pick an RL base by measuring RL from each.
        mkdirSync(snapshotDir, { recursive: true });
        const values = await readParams(params);
        writeFileSync(`${snapshotDir}/${taskId}-${step + 1}.safetensors`, serializeCheckpoint({ config: recipe.model, values, metadata: { task: taskId, steps: String(step + 1) } }));
      }
      if (ready.length >= Math.min(recipe.minReadyArms, task.arms.length)) {
        step++;
        break;
      }
    }
  }
  // The recorded figures: the same evaluation, plus greedy accuracy.
  evaluation = await evaluateAll(recipe, params, taskId, true);
  const values = await readParams(params);
  const seconds = (performance.now() - started) / 1000;
  const rlArms = evaluation.filter((e) => isReady(e, recipe)).map((e) => e.arm);
  const { model, ...recipeRest } = recipe;
  const entry: ManifestEntry = {
    task: taskId,
    file: `${taskId}.safetensors`,
    config: model,
    recipe: recipeRest,
    steps: step,
    seconds: Math.round(seconds),
    rlArms,
    arms: evaluation,
    history,
    made: new Date().toISOString(),
  };
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(`${OUT_DIR}/${entry.file}`, serializeCheckpoint({ config: model, values, metadata: { task: taskId, steps: String(step), rl_arms: rlArms.join(',') } }));
  trainer.dispose();
  disposeParams(params);
  return entry;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function readManifest(): Record<string, ManifestEntry> {
  return existsSync(MANIFEST) ? JSON.parse(readFileSync(MANIFEST, 'utf8')) : {};
}

/** The evaluation and RL arms of an existing checkpoint, re-measured (the weights are untouched). */
async function reevaluate(taskId: string, recipe: PretrainRecipe): Promise<ManifestEntry> {
  const entry = readManifest()[taskId];
  if (!entry) throw new Error(`No manifest entry for ${taskId}: pretrain it first.`);
  const checkpoint = parseCheckpoint(new Uint8Array(readFileSync(`${OUT_DIR}/${entry.file}`)));
  const params = createParams(checkpoint.config, checkpoint.values);
  const arms = await evaluateAll({ ...recipe, model: checkpoint.config }, params, taskId, true);
  disposeParams(params);
  const { model: _model, ...recipeRest } = recipe;
  return { ...entry, recipe: recipeRest, arms, rlArms: arms.filter((e) => isReady(e, recipe)).map((e) => e.arm) };
}

/** `--batch 64 --lr 3e-3 --weights d1:1,d2:3 --min-ready 9`: try a recipe without editing the file. */
function recipeOverrides(): Partial<PretrainRecipe> {
  const out: Partial<PretrainRecipe> = {};
  const batch = argValue('batch');
  const lr = argValue('lr');
  const weights = argValue('weights');
  const minReady = argValue('min-ready');
  if (batch) out.batchSize = Number(batch);
  if (lr) out.peakLr = Number(lr);
  if (minReady) out.minReadyArms = Number(minReady);
  if (weights) out.sftArmWeights = Object.fromEntries(weights.split(',').map((kv) => [kv.split(':')[0], Number(kv.split(':')[1])]));
  return out;
}

async function main(): Promise<void> {
  setBackend(new CpuBackend());
  const only = argValue('task');
  const maxSteps = argValue('max-steps');
  const taskIds = only ? only.split(',') : TASKS.map((t) => t.id);
  for (const taskId of taskIds) {
    const recipe: PretrainRecipe = { ...baseRecipe, ...taskRecipes[taskId], model: defaultGptConfig, ...(maxSteps ? { maxSteps: Number(maxSteps) } : {}), ...recipeOverrides() };
    const entry = process.argv.includes('--reevaluate') ? await reevaluate(taskId, recipe) : await pretrainTask(taskId, recipe);
    // Re-read the manifest each time: several recipe processes may run side by side (one per task).
    const manifest = readManifest();
    manifest[taskId] = entry;
    const sorted = Object.fromEntries(Object.keys(manifest).sort().map((k) => [k, manifest[k]]));
    writeFileSync(MANIFEST, JSON.stringify(sorted, null, 2) + '\n');
    const what = process.argv.includes('--reevaluate') ? `re-measured ${OUT_DIR}/${entry.file} (weights untouched)` : `wrote ${OUT_DIR}/${entry.file} after ${entry.steps} steps, ${entry.seconds} s`;
    console.log(`[${taskId}] ${what}; RL arms: ${entry.rlArms.join(', ') || 'none'}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
