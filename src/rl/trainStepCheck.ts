// The default optimisation step (what RlTrainer.optimiseOnce runs for the default preset: one PPO pass,
// so logπ_old is a detached logπ; token-mean PPO-clip; AdamW with global-norm clipping at 1), on a
// batch of the default workload's size, for the tests that count its dispatches and compare its
// gradients across backends and against the op-by-op path. Backend-agnostic: runs on the current one.
import { AdamW, backward, logProbs, readAll, reshape, tensor, tidy, type Tensor } from '../engine';
import { mulberry32 } from '../engine/random';
import { packBatch, type PackedBatch } from '../model/batch';
import type { GptConfig } from '../model/config';
import { gptForward } from '../model/forward';
import { createParams, disposeParams, initialValues } from '../model/params';
import { policyLoss } from './policyLoss';

/** 16 prompts × 8 samples of up to 7 prompt and 8 completion tokens: the default rollout's shape. */
export function defaultStepBatch(vocab: number, seed: number): { packed: PackedBatch; advantages: Float32Array } {
  const rand = mulberry32(seed);
  const token = () => 3 + Math.floor(rand() * (vocab - 3));
  const prompts: number[][] = [];
  const completions: number[][] = [];
  for (let i = 0; i < 128; i++) {
    prompts.push([1, ...Array.from({ length: 2 + Math.floor(rand() * 5) }, token)]);
    completions.push(Array.from({ length: 1 + Math.floor(rand() * 8) }, token));
  }
  const advantages = Float32Array.from({ length: 128 }, () => (rand() < 0.3 ? 0 : 2 * rand() - 1));
  return { packed: packBatch(prompts, completions, 7, 8), advantages };
}

export interface StepOutcome {
  loss: number;
  /** Every parameter's gradient (before clipping), by name. */
  grads: Map<string, Float32Array>;
  dispatches: number;
  readbacks: number;
}

/**
 * One step: forward, log-probs, the policy loss, backward, then (unless gradsOnly) AdamW; ONE readback
 * of the loss, the squared gradient norm and the clip metrics, as the trainer does. With gradsOnly the
 * gradients are read instead (a second readback, outside the counted step).
 */
export async function runDefaultStep(config: GptConfig, fused: boolean, gradsOnly: boolean, seed = 1234): Promise<StepOutcome> {
  const params = createParams(config, initialValues(config, seed));
  const { packed, advantages } = defaultStepBatch(config.vocabSize, seed + 1);
  const optimizer = new AdamW([...params.values()], { lr: 1e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 });
  const backend = [...params.values()][0].backend;
  backend.flush();
  backend.resetCounters();
  const { N, T } = { N: packed.B, T: packed.T };
  const [loss, metrics] = tidy(() => {
    const ids = tensor(packed.ids, [N, T], 'i32');
    const positions = tensor(packed.positions, [N, T], 'i32');
    const keyMask = tensor(packed.keyMask, [N, T]);
    const logits = gptForward(config, params, { ids, positions, keyMask }, { fused });
    const logp = reshape(logProbs(logits, tensor(packed.targets, [N * T], 'i32'), 1).logp, [N, T]);
    const mask = tensor(packed.completionMask, [N, T]);
    const r = policyLoss({ logp, advantages: tensor(advantages, [N, 1]), mask }, { clipLow: 0.2, clipHigh: 0.2, fused }, 'token-mean');
    backward(r.loss);
    return [r.loss, r.metrics.values];
  });
  const names = [...params.keys()];
  let outcome: StepOutcome;
  if (gradsOnly) {
    const values = await readAll([loss, ...names.map((n) => params.get(n)!.grad!)]);
    outcome = { loss: values[0][0], grads: new Map(names.map((n, i) => [n, values[i + 1] as Float32Array])), dispatches: 0, readbacks: 0 };
  } else {
    const { gradNormSquared } = optimizer.update();
    const [lossValue] = await readAll([loss, gradNormSquared, metrics]);
    const counters = backend.counters();
    gradNormSquared.dispose();
    outcome = { loss: lossValue[0], grads: new Map(), dispatches: counters.dispatches, readbacks: counters.readbacks };
  }
  for (const t of [loss, metrics] as Tensor[]) t.dispose();
  disposeParams(params);
  optimizer.dispose();
  return outcome;
}
