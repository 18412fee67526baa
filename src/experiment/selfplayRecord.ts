// A self-play run as a run file (runFile.ts): every iteration's flattened metrics (the `selfplayMetrics`
// events, iteration 0 = the starting policy) kept under `selfplay`, and — for a loop that reports held-out
// pass@k per arm (self-consuming generations: `heldout_pass_at_k/<arm>/<k>`; SPIN and propose/solve:
// `heldout/accuracy/<arm>`, their pass@1) — those evaluations as the
// record's ordinary `evaluations`, one per iteration. The gallery judges a self-play arm like any other:
// its iterations stand for the steps (iteration n as step n − 1, the RL convention of "after n steps"),
// its evaluations are read unchanged.
import type { ArmEvaluation } from '../rl/evaluate';

export interface SelfplayIterations {
  loop: string;
  /** One record per iteration, in order: `iteration` (0 = the start) and the loop's flattened metrics. */
  iterations: Record<string, number>[];
}

/** The held-out evaluations a self-play loop's iterations carry (none for a loop without pass@k). */
export function selfplayEvaluations(s: SelfplayIterations, task: string, prompts: number): { afterSteps: number; arms: ArmEvaluation[] }[] {
  const out: { afterSteps: number; arms: ArmEvaluation[] }[] = [];
  for (const m of s.iterations) {
    const byArm = new Map<string, Record<string, number>>();
    for (const [key, value] of Object.entries(m)) {
      const hit = /^heldout_pass_at_k\/([^/]+)\/([0-9]+)$/.exec(key);
      if (!hit) continue;
      if (!byArm.has(hit[1])) byArm.set(hit[1], {});
      byArm.get(hit[1])![hit[2]] = value;
    }
    // A loop that reports only held-out accuracy per arm (SPIN, propose/solve: `heldout/accuracy/<arm>`,
    // the mean correctness of the samples) has pass@1 = that accuracy, and no larger k.
    if (byArm.size === 0) {
      for (const [key, value] of Object.entries(m)) {
        const hit = /^heldout\/accuracy\/([^/]+)$/.exec(key);
        if (hit) byArm.set(hit[1], { '1': value });
      }
    }
    if (byArm.size === 0) continue;
    const arms = [...byArm].map(([arm, passAtK]): ArmEvaluation => {
      const greedy = m[`heldout/greedy/${arm}`];
      return {
        task,
        arm,
        prompts,
        samplesPerPrompt: Math.max(...Object.keys(passAtK).map(Number)),
        passAtK,
        meanAtN: m[`heldout/accuracy/${arm}`] ?? passAtK['1'],
        greedyAccuracy: greedy ?? null,
      };
    });
    out.push({ afterSteps: m.iteration, arms });
  }
  return out;
}

/** What the comparison reads as a record's steps: a self-play run's iterations 1 … N (each as step
 *  n − 1, its metrics at their flattened keys, e.g. `explore/distinct_correct`), else the RL steps. */
export function comparableSteps(record: { steps: readonly object[]; selfplay?: SelfplayIterations }): readonly object[] {
  if (!record.selfplay) return record.steps;
  return record.selfplay.iterations.filter((m) => m.iteration >= 1).map((m) => ({ ...m, step: m.iteration - 1 }));
}
