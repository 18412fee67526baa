// Runs as the user sees them: a multi-seed run's replicas (records sharing `replica.groupId`) form one
// group, a single-seed run is a group of one. The Runs panel lists groups, the plots draw a group as a
// mean and a band, and the comparison view pairs two groups' replicas by seed.
import type { ExperimentConfig } from '../experiment/schema';
import type { RunRecord } from './runRecord';

export interface RunGroup {
  /** The group id of a multi-seed run; the record's own id for a single-seed run. */
  id: string;
  label: string;
  color: string;
  config: ExperimentConfig;
  /** The replicas in seed order (one for a single-seed run). */
  replicas: RunRecord[];
  /** Each replica's training seed, aligned with `replicas`. */
  seeds: number[];
}

/** The group a record belongs to. */
export function groupIdOf(run: RunRecord): string {
  return run.replica?.groupId ?? run.id;
}

/** Groups in order of their first record; replicas in seed (index) order. */
export function groupRuns(runs: readonly RunRecord[]): RunGroup[] {
  const byId = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const id = groupIdOf(run);
    const members = byId.get(id);
    if (members) members.push(run);
    else byId.set(id, [run]);
  }
  return [...byId.entries()].map(([id, members]) => {
    const replicas = [...members].sort((a, b) => (a.replica?.index ?? 0) - (b.replica?.index ?? 0));
    const first = replicas[0];
    return { id, label: first.label, color: first.color, config: first.config, replicas, seeds: replicas.map((r) => r.replica?.seed ?? r.config.seed) };
  });
}

/** "×N seeds" for a legend or a row; empty for a single-seed run. */
export function seedsSuffix(group: Pick<RunGroup, 'replicas'>): string {
  return group.replicas.length > 1 ? ` ×${group.replicas.length} seeds` : '';
}
