// Everything an optimisation step changes on the device — the policy's parameters and AdamW's m, v
// and step counter — kept twice: a device-side copy taken before each update (restored when the
// step turns out non-finite; copyInto only, no readback) and a host copy read after completed steps
// (what a run resumes from when the GPU device is lost, since the device's buffers die with it).
import { getBackend, keep, readAll, tensor, zeros, type Tensor } from '../engine';
import type { AdamW } from '../engine/optim/adamw';
import { wrap } from '../engine/tape';
import type { GptParams } from '../model/params';
import type { StepMetrics } from './metrics';

/** A step's loss or gradient norm was NaN or ±Infinity: the update was undone (weights and
 *  optimizer state are the last good step's) and the step does not count. */
export class NonFiniteStepError extends Error {
  constructor(
    readonly quantities: string[],
    readonly metrics: StepMetrics,
  ) {
    super(`The step produced a non-finite ${quantities.join(', ')}; its update was undone.`);
    this.name = 'NonFiniteStepError';
  }
}

/** The trainer's state on the host: plain arrays, independent of any device. */
export interface HostTrainingState {
  /** Completed optimisation steps. */
  step: number;
  optimizerStep: number;
  params: Map<string, Float32Array>;
  m: Float32Array[];
  v: Float32Array[];
  /** The frozen reference policy (KL), same names as params. */
  refParams: Map<string, Float32Array>;
}

/** copy dst ← src for two same-sized tensors, on the device. */
function copyTensor(dst: Tensor, src: Tensor): void {
  getBackend().copyInto(dst.storage, 0, [1], src.storage, [src.size]);
}

/** A device-side copy of params, m and v (allocated once: memory stays flat) plus the step counter. */
export class TrainingState {
  private readonly saved: Tensor[];
  private savedOptimizerStep = 0;

  constructor(
    private readonly params: GptParams,
    private readonly optimizer: AdamW,
  ) {
    this.saved = this.live().map((t) => keep(zeros(t.shape)));
  }

  private live(): Tensor[] {
    return [...this.params.values(), ...this.optimizer.m, ...this.optimizer.v];
  }

  /** f32 [1]: Σ w² over the parameters (one reduction; read with the step's metrics). */
  paramSumOfSquares(): Tensor {
    const params = [...this.params.values()];
    return wrap(params[0].backend.sumOfSquares(params.map((p) => p.storage)), [1]);
  }

  /** saved ← live: before an update. */
  capture(): void {
    this.live().forEach((t, i) => copyTensor(this.saved[i], t));
    this.savedOptimizerStep = this.optimizer.step;
  }

  /** live ← saved: undoes every update since capture(). */
  restore(): void {
    this.live().forEach((t, i) => copyTensor(t, this.saved[i]));
    this.optimizer.step = this.savedOptimizerStep;
  }

  dispose(): void {
    for (const t of this.saved) t.dispose();
  }
}

/** Reads params, m, v and the reference with ONE readback. */
export async function readHostState(step: number, params: GptParams, optimizer: AdamW, refParams: GptParams): Promise<HostTrainingState> {
  const names = [...params.keys()];
  const all = [...params.values(), ...optimizer.m, ...optimizer.v, ...names.map((n) => refParams.get(n)!)];
  const values = (await readAll(all)).map((a) => Float32Array.from(a));
  const n = names.length;
  return {
    step,
    optimizerStep: optimizer.step,
    params: new Map(names.map((name, i) => [name, values[i]])),
    m: values.slice(n, 2 * n),
    v: values.slice(2 * n, 3 * n),
    refParams: new Map(names.map((name, i) => [name, values[3 * n + i]])),
  };
}

/** Writes a host state into the optimizer's m, v, step and the reference (the params themselves are
 *  created from state.params by the caller). */
export function uploadHostState(state: HostTrainingState, optimizer: AdamW, refParams: GptParams): void {
  const write = (dst: Tensor, values: Float32Array) => {
    if (values.length !== dst.size) throw new Error(`Cannot restore ${values.length} values into a tensor of ${dst.size}.`);
    const src = tensor(values, dst.shape);
    copyTensor(dst, src);
    src.dispose();
  };
  optimizer.m.forEach((t, i) => write(t, state.m[i]));
  optimizer.v.forEach((t, i) => write(t, state.v[i]));
  for (const [name, t] of refParams) write(t, state.refParams.get(name)!);
  optimizer.step = state.optimizerStep;
}
