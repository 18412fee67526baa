// The CPU backend's fused RL primitives (Backend.logProbEntropy and its gradient, groupAdvantages,
// sampleTokens): argument checks and wrapping here, the maths in logProbEntropy.ts, advantages.ts and
// sample.ts. A class of its own so that cpuBackend.ts stays a readable size; it shares the backend's
// counters and storages through the two callbacks (as CpuFusedTraining does).
import type { AdvantageScale, LogProbResult, SampleParams, Storage } from '../../backend';
import { f32, i32, type CpuArray } from './cpuStorage';
import { logProbEntropy, logProbEntropyGrad } from './logProbEntropy';
import { groupAdvantages } from './advantages';
import { checkSampleParams } from '../sampling';
import { sampleTokens } from './sample';
import { checkCount } from './cpuOptions';

export class CpuRlKernels {
  constructor(
    private readonly wrap: (array: CpuArray) => Storage,
    private readonly launch: () => void,
  ) {}

  logProbEntropy(logits: Storage, targets: Storage, rows: number, vocab: number, invTemperature: number): LogProbResult {
    checkCount('logProbEntropy', 'rows', rows);
    checkCount('logProbEntropy', 'vocab', vocab);
    const la = f32(logits, 'logProbEntropy (logits)', rows * vocab);
    const ta = i32(targets, 'logProbEntropy (targets)', rows);
    this.launch();
    const r = logProbEntropy(la, ta, rows, vocab, invTemperature);
    return { logp: this.wrap(r.logp), entropy: this.wrap(r.entropy) };
  }

  logProbEntropyGrad(logits: Storage, targets: Storage, dlogp: Storage, dentropy: Storage | null, rows: number, vocab: number, invTemperature: number): Storage {
    checkCount('logProbEntropyGrad', 'rows', rows);
    checkCount('logProbEntropyGrad', 'vocab', vocab);
    const la = f32(logits, 'logProbEntropyGrad (logits)', rows * vocab);
    const ta = i32(targets, 'logProbEntropyGrad (targets)', rows);
    const dla = f32(dlogp, 'logProbEntropyGrad (dlogp)', rows);
    const dea = dentropy ? f32(dentropy, 'logProbEntropyGrad (dentropy)', rows) : null;
    this.launch();
    return this.wrap(logProbEntropyGrad(la, ta, dla, dea, rows, vocab, invTemperature));
  }

  groupAdvantages(rewards: Storage, numGroups: number, groupSize: number, scale: AdvantageScale, eps: number): Storage {
    checkCount('groupAdvantages', 'numGroups', numGroups);
    checkCount('groupAdvantages', 'groupSize', groupSize);
    const ra = f32(rewards, 'groupAdvantages', numGroups * groupSize);
    this.launch();
    return this.wrap(groupAdvantages(ra, numGroups, groupSize, scale, eps));
  }

  sampleTokens(logits: Storage, finished: Storage, p: SampleParams): Storage {
    checkSampleParams(p);
    const la = f32(logits, 'sampleTokens (logits)', p.rows * p.vocab);
    const fa = i32(finished, 'sampleTokens (finished)', p.rows);
    this.launch();
    return this.wrap(sampleTokens(la, fa, p));
  }
}
