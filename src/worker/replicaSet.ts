// A multi-seed run (issue 16): N replicas of one experiment that differ only in their seed, advanced
// together by the session. Each replica is a whole run — its own built run (params, curriculum,
// reward), its own phases (SFT warm-up, RL, self-play) and its own record id, under which its events go
// out — so every per-run path (metrics, persistence, plots) works per replica unchanged. A single-seed
// run is a set of one.
//
// Lockstep: one `advance` of the set is one round — one advance of every replica, in seed order — so
// step k of every replica comes before step k+1 of any and the curves grow together. A replica that
// fails mid-round leaves the round's cursor on it: the replicas before it have done their step, and the
// retry (resume, stepOnce) goes on from the failed one, so no step is done twice or skipped.
import { buildRun, type BuiltRun, type RunBuildOptions } from '../experiment/runBuilder';
import { replicaSeed, type ExperimentConfig } from '../experiment/schema';
import { disposeParams } from '../model/params';
import { applyLivePatch, type PatchResult } from './liveConfig';
import { CONTINUE, PhaseStopError, type Phase, type PhaseOutcome } from './phases/phase';
import type { ConfigPatch } from './protocol';

export interface Replica {
  /** The record id its events carry. */
  readonly id: string;
  /** 0-based position in the set; its training seed is replicaSeed(config, index). */
  readonly index: number;
  readonly seed: number;
  built: BuiltRun;
  /** Index into built.phases of the phase under way. */
  phaseIndex: number;
  phase: Phase;
  /** Why it finished (null: still going). */
  finished: string | null;
}

/** Makes a replica's phase `built.phases[phaseIndex]` (the session wires its events and the ruler). */
export type PhaseFactory = (replica: Replica, set: ReplicaSet) => Phase;

/** A failure of one replica: the whole set pauses (or stops), and the message names the seed. */
export class ReplicaError extends Error {
  override name = 'ReplicaError';
  constructor(
    readonly replica: Pick<Replica, 'id' | 'index' | 'seed'>,
    readonly count: number,
    override readonly cause: unknown,
  ) {
    super((cause as Error)?.message ?? String(cause));
  }

  /** "Seed 4 (replica 2 of 3): " — empty for a single-seed run, whose messages stay as they were. */
  get prefix(): string {
    return this.count > 1 ? `Seed ${this.replica.seed} (replica ${this.replica.index + 1} of ${this.count}): ` : '';
  }
}

/** Replica k's config: the experiment with seed replicaSeed(config, k), as a single-seed run. */
export function replicaConfig(config: ExperimentConfig, index: number): ExperimentConfig {
  return { ...config, seed: replicaSeed(config, index), seeds: 1 };
}

/** Builds every replica's run (the first one's notes only: the others would repeat them). On a failure,
 *  what was already built is freed and the error goes on. */
export async function buildReplicas(ids: readonly string[], config: ExperimentConfig, options: RunBuildOptions, adapt: (built: BuiltRun) => void): Promise<Omit<Replica, 'phase'>[]> {
  const replicas: Omit<Replica, 'phase'>[] = [];
  try {
    for (let index = 0; index < ids.length; index++) {
      const c = replicaConfig(config, index);
      const built = await buildRun(c, index === 0 ? options : { ...options, log: () => {} });
      adapt(built);
      replicas.push({ id: ids[index], index, seed: c.seed, built, phaseIndex: 0, finished: null });
    }
  } catch (e) {
    for (const r of replicas) disposeParams(r.built.params);
    throw e;
  }
  return replicas;
}

export class ReplicaSet {
  readonly replicas: Replica[];
  /** The loop of this set is running (one at a time). */
  looping = false;
  /** Steps after which the loop pauses once by itself (the start command's pauseAtStep); null: none. */
  pauseAt: number | null = null;
  /** The next replica to advance in the current round. */
  private cursor = 0;

  /** `interrupted`: checked between replicas; true ends the round early (a lost device, a new run). */
  constructor(
    replicas: Omit<Replica, 'phase'>[],
    private readonly makePhase: PhaseFactory,
    private readonly interrupted: () => boolean = () => false,
  ) {
    this.replicas = [];
    try {
      for (const r of replicas) {
        const replica = r as Replica;
        replica.phase = makePhase(replica, this);
        this.replicas.push(replica);
      }
    } catch (e) {
      for (const r of this.replicas) r.phase.dispose();
      for (const r of replicas) disposeParams(r.built.params);
      throw e;
    }
  }

  /** The first replica's id: what status events report as the run's. */
  get id(): string {
    return this.replicas[0].id;
  }

  get ids(): string[] {
    return this.replicas.map((r) => r.id);
  }

  /** The first replica's run (its config is the experiment's with the first seed). */
  get primary(): Replica {
    return this.replicas[0];
  }

  /** The run has just reached pauseAt: true once (a resumed run goes on past it). */
  reachedPauseAt(): boolean {
    if (this.pauseAt === null || this.step < this.pauseAt) return false;
    this.pauseAt = null;
    return true;
  }

  /** Steps (iterations) done by every replica. */
  get step(): number {
    return Math.min(...this.replicas.map((r) => r.phase.step));
  }

  get arms(): string[] {
    return this.primary.phase.arms;
  }

  get resumable(): boolean {
    return this.replicas.every((r) => r.phase.resumable);
  }

  /** The earliest step a resume would continue from (each replica resumes from its own). */
  get resumeStep(): number | undefined {
    const steps = this.replicas.map((r) => r.phase.resumeStep);
    return steps.some((s) => s === undefined) ? undefined : Math.min(...(steps as number[]));
  }

  async begin(): Promise<void> {
    for (const r of this.replicas) await this.guard(r, async () => r.phase.begin?.());
  }

  /** One round: the rest of the current round's replicas, one advance each. Finished when all are. */
  async advance(): Promise<PhaseOutcome> {
    while (this.cursor < this.replicas.length) {
      if (this.interrupted()) return CONTINUE;
      const r = this.replicas[this.cursor];
      if (r.finished === null) {
        const outcome = await this.guard(r, () => r.phase.advance());
        if (outcome.kind === 'finished') r.finished = outcome.message;
        else if (outcome.kind === 'next') await this.nextPhase(r);
      }
      this.cursor++;
    }
    this.cursor = 0;
    const done = this.replicas.every((r) => r.finished !== null);
    if (!done) return CONTINUE;
    const message = this.primary.finished ?? 'Finished.';
    return { kind: 'finished', message: this.replicas.length > 1 ? `${message} (${this.replicas.length} seeds)` : message };
  }

  /** A replica's phase is done: the next one, built over its params as the last one left them. */
  private async nextPhase(r: Replica): Promise<void> {
    r.phase.dispose();
    r.phaseIndex++;
    try {
      r.phase = this.makePhase(r, this);
      await r.phase.begin?.();
    } catch (e) {
      throw new ReplicaError(r, this.replicas.length, e instanceof PhaseStopError ? e : new PhaseStopError((e as Error).message));
    }
  }

  /** Held-out evaluation of every replica now. */
  async evaluateNow(requestId?: number): Promise<void> {
    for (const r of this.replicas) await this.guard(r, () => r.phase.evaluateNow(requestId));
  }

  /** A refusal of any replica's phase refuses the change for all (they run the same phases). */
  refuseLiveChange(): string | null {
    for (const r of this.replicas) {
      const refusal = r.phase.refuseLiveChange?.();
      if (refusal) return refusal;
    }
    return null;
  }

  /** The live fields of `patch` to every replica (each keeps its own seed). The replicas' configs differ
   *  only in their seed, so what applies to one applies to all: the first one's result is reported. */
  applyLivePatch(patch: ConfigPatch): PatchResult {
    let first: PatchResult | null = null;
    for (const r of this.replicas) {
      const result = applyLivePatch(r.built.config, patch);
      // The run's config is what later phases are built from (RL after a warm-up takes the change too).
      r.built.config = result.config;
      r.phase.applyConfig?.(result.config);
      first ??= result;
    }
    return first as PatchResult;
  }

  /** Every replica from its host copy on the new backend. */
  recover(): void {
    for (const r of this.replicas) r.phase.recover?.();
  }

  stopped(): void {
    for (const r of this.replicas) r.phase.stopped?.();
  }

  /** Frees every replica (after a lost device, their buffers are gone: `deviceGone` skips them). */
  dispose(deviceGone = false): void {
    if (deviceGone) return;
    for (const r of this.replicas) {
      r.phase.dispose();
      disposeParams(r.built.params);
    }
  }

  /** The replica of `id`, or the first one. */
  replica(id?: string): Replica {
    return this.replicas.find((r) => r.id === id) ?? this.primary;
  }

  private async guard<T>(r: Replica, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      throw new ReplicaError(r, this.replicas.length, e);
    }
  }
}
