// Shared helpers for the self-play tests: a tiny seeded model on the current backend, and a check that
// every number in a metrics object is finite.
import type { GptConfig } from '../model/config';
import { initGptParams, type GptParams } from '../model/params';
import { SftTrainer } from '../model/sft';
import { createRng } from '../tasks/random';
import { getTask } from '../tasks/registry';
import { VOCAB_SIZE, encodeCompletion, encodePrompt } from '../tasks/tokenizer';

/** 2 layers, width 32: a few milliseconds per step on the CPU backend. Context 24 fits addition. */
export function tinyModel(seed: number, contextLength = 24): { config: GptConfig; params: GptParams } {
  const config: GptConfig = { vocabSize: VOCAB_SIZE, contextLength, dModel: 32, nHeads: 2, nLayers: 2, mlpRatio: 2 };
  return { config, params: initGptParams(config, seed) };
}

export function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

/** A few SFT steps on a task's arms, so a tiny model sometimes answers right (rewards with spread). */
export async function sftWarmStart(config: GptConfig, params: GptParams, taskId: string, arms: string[], steps: number, seed = 1): Promise<void> {
  const task = getTask(taskId);
  const rng = createRng(seed);
  const sft = new SftTrainer(config, params, { lr: 1e-2, weightDecay: 0, maxGradNorm: 1 });
  for (let s = 0; s < steps; s++) {
    const examples = Array.from({ length: 16 }, () => {
      const p = task.generate(rng.pick(arms), rng);
      return { prompt: encodePrompt(p.prompt), completion: encodeCompletion(p.answer) };
    });
    await sft.step(examples);
  }
  sft.dispose();
}
