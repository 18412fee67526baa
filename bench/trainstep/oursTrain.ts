// Our train step, as RlTrainer.optimiseOnce runs it for the default preset (one PPO pass, so old
// log-probs are a gradient-free view of the current ones): upload the packed batch, gptForward,
// the fused logProbs kernel, policyLoss (token-mean PPO-clip; its clip metrics come along), backward,
// AdamW — then ONE readback of the loss and the squared gradient norm.
import { AdamW, backward, globalGradNorm, logProbs, mul, noGrad, readAll, reshape, sum, tensor, tidy, type AdamWConfig, type Tensor } from '../../src/engine';
import type { GptConfig } from '../../src/model/config';
import { gptForward } from '../../src/model/forward';
import { createParams, disposeParams, type GptParams } from '../../src/model/params';
import { policyLoss } from '../../src/rl/policyLoss';
import type { TrainBatch } from './workload';

export class OursTrainer {
  readonly params: GptParams;
  readonly optimizer: AdamW;

  constructor(
    readonly config: GptConfig,
    values: Map<string, Float32Array>,
    readonly adam: Omit<AdamWConfig, 'maxGradNorm'> & { maxGradNorm?: number },
  ) {
    this.params = createParams(config, values);
    this.optimizer = new AdamW([...this.params.values()], { maxGradNorm: 0, ...adam });
  }

  /** Loss, Σ mask·logπ and the squared global gradient norm of the batch, without an update (the
   *  correctness check: with ρ ≡ 1 the loss itself does not depend on the weights). */
  async probe(batch: TrainBatch): Promise<{ loss: number; logpSum: number; gradNormSq: number }> {
    const out = tidy(() => {
      const r = this.lossAndGrad(batch, true);
      return { loss: r.loss, logpSum: r.logpSum! };
    });
    const { sumOfSquares, scale } = globalGradNorm([...this.params.values()], Infinity);
    scale.dispose();
    for (const p of this.params.values()) {
      p.grad?.dispose();
      p.grad = null;
    }
    const [loss, logpSum, gradNormSq] = await readAll([out.loss, out.logpSum, sumOfSquares]);
    for (const t of [out.loss, out.logpSum, sumOfSquares]) t.dispose();
    return { loss: loss[0], logpSum: logpSum[0], gradNormSq: gradNormSq[0] };
  }

  /** The timed step's graph: forward, log-probs, the GRPO loss, backward. `withLogpSum` adds the
   *  probe's Σ mask·logπ (one more reduction), which the timed step leaves out. */
  private lossAndGrad(batch: TrainBatch, withLogpSum: boolean): { loss: Tensor; logpSum: Tensor | null } {
    const { N, T, packed } = batch;
    const ids = tensor(packed.ids, [N, T], 'i32');
    const positions = tensor(packed.positions, [N, T], 'i32');
    const keyMask = tensor(packed.keyMask, [N, T]);
    const targets = tensor(packed.targets, [N * T], 'i32');
    const mask = tensor(packed.completionMask, [N, T]);
    const advantages = tensor(batch.advantages, [N, 1]);
    const logits = gptForward(this.config, this.params, { ids, positions, keyMask });
    const logp = reshape(logProbs(logits, targets, 1).logp, [N, T]);
    const logpSum = withLogpSum ? noGrad(() => sum(mul(logp, mask))) : null;
    const result = policyLoss({ logp, advantages, mask }, { clipLow: 0.2, clipHigh: 0.2 }, 'token-mean');
    backward(result.loss);
    return { loss: result.loss, logpSum };
  }

  /** One step; resolves to the loss before the update (one readback). */
  async step(batch: TrainBatch): Promise<number> {
    const loss = tidy(() => this.lossAndGrad(batch, false).loss);
    const { gradNormSquared } = this.optimizer.update(this.adam.lr);
    const [lossValue] = await readAll([loss, gradNormSquared]);
    loss.dispose();
    gradNormSquared.dispose();
    return lossValue[0];
  }

  dispose(): void {
    disposeParams(this.params);
    this.optimizer.dispose();
  }
}
