// From the experiment config to a self-play loop's config (src/selfplay). The experiment sets the seed,
// the task, the arms, the held-out set's size and the knobs of `selfplay.*`; everything else keeps the
// loop's own defaults (the settings of the recorded runs in docs/selfplay). creator/solver's solver is
// the RL trainer, so it takes the Algorithm section (GRPO, B × G, lr …) as an RL run would.
import { defaultCreatorSolverConfig } from '../selfplay/creatorSolver';
import { defaultProposeSolveConfig } from '../selfplay/proposeSolve';
import { defaultSelfConsumingConfig } from '../selfplay/selfConsuming';
import { defaultSpinConfig } from '../selfplay/spin';
import type { SelfplayLoopId, SelfplayLoopSpec } from '../selfplay/registry';
import type { Task } from '../tasks/task';
import type { ExperimentConfig } from './schema';
import { toRlConfig } from './toTrainerConfig';

/** A loop and its config (the registry's spec). */
export type SelfplayLoopConfig = SelfplayLoopSpec;
export type { SelfplayLoopId };

/**
 * The arms a loop uses: the experiment's ticked arms; with none ticked, the loop's own default arms
 * when the task has them all (addition: the recorded runs' setting), else every arm of the task.
 */
export function selfplayArms(task: Pick<Task, 'arms'>, ticked: readonly string[], loopDefaults: readonly string[]): string[] {
  if (ticked.length > 0) return [...ticked];
  const known = task.arms.map((a) => a.id);
  return loopDefaults.length > 0 && loopDefaults.every((a) => known.includes(a)) ? [...loopDefaults] : known;
}

/** The loop config of an experiment whose selfplay.loop is not 'none'. */
export function toSelfplayLoopConfig(e: ExperimentConfig, task: Pick<Task, 'arms'>): SelfplayLoopConfig {
  const s = e.selfplay;
  const ticked = e.task.arms;
  const common = { seed: e.seed, task: e.task.id };
  const evalOf = (defaults: { arms: string[] }) => ({ arms: selfplayArms(task, ticked, defaults.arms), prompts: e.run.evalPrompts });
  switch (s.loop) {
    case 'propose-solve': {
      const d = defaultProposeSolveConfig;
      const p = s.proposeSolve;
      return {
        loop: 'propose-solve',
        config: {
          ...common,
          proposals: p.proposals,
          solverSamples: p.solverSamples,
          extremeReward: p.extremeReward,
          references: p.references,
          warmup: { steps: p.warmupSteps, arms: selfplayArms(task, ticked, d.warmup.arms) },
          eval: evalOf(d.eval),
          evalEvery: s.evalEvery,
        },
      };
    }
    case 'spin': {
      const d = defaultSpinConfig;
      const p = s.spin;
      return {
        loop: 'spin',
        config: {
          ...common,
          arms: selfplayArms(task, ticked, d.arms),
          beta: p.beta,
          loss: p.loss,
          datasetSize: p.datasetSize,
          lr: p.lr,
          objective: p.objective,
          sftFirst: { ...d.sftFirst, maxEpochs: p.sftEpochs },
          eval: evalOf(d.eval),
          evalEvery: s.evalEvery,
        },
      };
    }
    case 'creator-solver': {
      const d = defaultCreatorSolverConfig;
      const p = s.creatorSolver;
      // The solver is the RL trainer: the Algorithm section, the run being `iterations` steps long.
      const { seed: _seed, ...rl } = { ...toRlConfig(e), totalSteps: s.iterations };
      return {
        loop: 'creator-solver',
        config: {
          ...common,
          arms: selfplayArms(task, ticked, d.arms),
          bufferSize: p.bufferSize,
          freshFraction: p.freshFraction,
          evolveFraction: p.evolveFraction,
          rl,
          eval: evalOf(d.eval),
          evalEvery: s.evalEvery,
        },
      };
    }
    case 'self-consuming': {
      const d = defaultSelfConsumingConfig;
      const p = s.selfConsuming;
      return {
        loop: 'self-consuming',
        config: {
          ...common,
          arms: selfplayArms(task, ticked, d.arms),
          prompts: p.prompts,
          freshFraction: p.freshFraction,
          curate: p.curate,
          sftSteps: p.sftSteps,
          samplesPerPrompt: p.samplesPerPrompt,
          temperature: p.temperature,
          temperatureSchedule: p.temperatureSchedule,
          bstarTarget: p.bstarTarget,
          eval: evalOf(d.eval),
        },
      };
    }
    default:
      throw new Error(`toSelfplayLoopConfig: the experiment runs no self-play loop (selfplay.loop is ${JSON.stringify(s.loop)}).`);
  }
}
