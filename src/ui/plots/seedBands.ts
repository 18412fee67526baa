// A multi-seed run on a chart: its replicas' series (one per seed, extracted as for any run) become one
// mean line in the run's colour with a shaded band — the 95 % t-interval of the mean or the seeds'
// min–max, per step over the seeds that reached it — and, on request, a thin line per seed. Each seed
// is smoothed on its own before aggregating (STATISTICS.md: smooth before aggregating), so the mean
// line and its band carry the smoothing already (`presmoothed`); the raw mean stays as the faint line.
// A single-seed run's series pass through untouched: it looks exactly as before seeds existed.
// Pure; PlotsPanel memoises it by the store's version, the smoothing and these options.
import { stepBand } from '../../stats';
import { groupIdOf } from '../../state/runGroups';
import type { RunRecord } from '../../state/runsStore';
import type { Point, RunSeries } from './series';

export type BandChoice = 't95' | 'minmax' | 'none';

export interface SeedView {
  band: BandChoice;
  /** Thin lines per seed under the mean. */
  showSeeds: boolean;
}

export const DEFAULT_SEED_VIEW: SeedView = { band: 't95', showSeeds: false };

/** Per point of a mean series: the band's edges (null where undefined, e.g. a t-band over one seed). */
export interface SeriesBand {
  low: (number | null)[];
  high: (number | null)[];
}

/** The raw mean over seeds per step (and the mean wall time / samples there): the faint raw line
 *  under the group's smoothed mean. One pass; matched by position when the seeds line up (replicas
 *  advanced together), else by step through a map. */
function rawMeanPoints(finite: readonly (readonly Point[])[]): Point[] {
  let longest = finite[0];
  for (const s of finite) if (s.length > longest.length) longest = s;
  const aligned = finite.every((s) => s.every((p, i) => p.step === longest[i].step));
  if (aligned) {
    return longest.map((p0, i) => {
      let n = 0;
      let value = 0;
      let wall = 0;
      let samples = 0;
      let hasSamples = true;
      for (const s of finite) {
        if (i >= s.length) continue;
        const p = s[i];
        n++;
        value += p.value;
        wall += p.wall;
        samples += p.samples ?? 0;
        hasSamples &&= p.samples !== undefined;
      }
      return { step: p0.step, wall: wall / n, ...(hasSamples ? { samples: samples / n } : {}), value: value / n };
    });
  }
  const byStep = new Map<number, { value: number; wall: number; samples: number; n: number; hasSamples: boolean }>();
  for (const s of finite) {
    for (const p of s) {
      const e = byStep.get(p.step) ?? { value: 0, wall: 0, samples: 0, n: 0, hasSamples: true };
      e.value += p.value;
      e.wall += p.wall;
      e.samples += p.samples ?? 0;
      e.hasSamples &&= p.samples !== undefined;
      e.n++;
      byStep.set(p.step, e);
    }
  }
  return [...byStep.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([step, e]) => ({ step, wall: e.wall / e.n, ...(e.hasSamples ? { samples: e.samples / e.n } : {}), value: e.value / e.n }));
}

function meanSeries(group: RunSeries[], groupId: string, label: string, view: SeedView): RunSeries {
  const first = group[0];
  // A non-finite value (a diverged step) leaves that seed out at that step rather than failing the chart.
  const finite = group.map((s) => (s.points.every((p) => Number.isFinite(p.value)) ? s.points : s.points.filter((p) => Number.isFinite(p.value))));
  const points = rawMeanPoints(finite);
  // The smoothed mean and band are computed when the chart asks, once per smoothing weight (stepBand
  // matches seeds by step, as rawMeanPoints does, so both come out aligned with `points`).
  let cached: { weight: number; band: ReturnType<typeof stepBand> } | null = null;
  const smoothedBand = (weight: number) => {
    if (!cached || cached.weight !== weight) cached = { weight, band: stepBand(finite.map((ps) => ps.map((p) => ({ x: p.step, y: p.value }))), weight) };
    return cached.band;
  };
  return {
    ...first,
    runId: groupId,
    runLabel: `${label} ×${group.length} seeds`,
    points,
    members: group.map((s) => s.runId),
    presmoothed: (w) => smoothedBand(w).map((b) => b.mean),
    band:
      view.band === 'none'
        ? () => null
        : (w) => {
            const b = smoothedBand(w);
            return view.band === 't95' ? { low: b.map((p) => p.tLow), high: b.map((p) => p.tHigh) } : { low: b.map((p) => p.min), high: b.map((p) => p.max) };
          },
  };
}

/** The chart's series with every multi-seed group's replicas replaced by its mean (and band, and thin
 *  seed lines when asked). Series of one group and line are aggregated together; order is kept (a
 *  group takes the place of its first replica). */
export function groupSeedSeries(series: readonly RunSeries[], runs: readonly RunRecord[], view: SeedView): RunSeries[] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const groupOf = (s: RunSeries) => {
    const run = byId.get(s.runId);
    return run ? groupIdOf(run) : s.runId;
  };
  const buckets = new Map<string, RunSeries[]>();
  for (const s of series) {
    const key = `${groupOf(s)}\u0000${s.line}`;
    const bucket = buckets.get(key);
    if (bucket) bucket.push(s);
    else buckets.set(key, [s]);
  }
  const out: RunSeries[] = [];
  const done = new Set<string>();
  for (const s of series) {
    const groupId = groupOf(s);
    const key = `${groupId}\u0000${s.line}`;
    const bucket = buckets.get(key)!;
    if (bucket.length === 1) {
      out.push(s);
      continue;
    }
    if (done.has(key)) continue;
    done.add(key);
    const nonEmpty = bucket.filter((b) => b.points.some((p) => Number.isFinite(p.value)));
    const label = byId.get(s.runId)?.label ?? s.runLabel;
    if (view.showSeeds) {
      for (const b of bucket) {
        const seed = byId.get(b.runId)?.replica?.seed;
        out.push({ ...b, runLabel: `${label} seed ${seed ?? '?'}`, thin: true });
      }
    }
    out.push(nonEmpty.length === 0 ? { ...s, runId: groupId, runLabel: `${label} ×${bucket.length} seeds`, points: [], members: bucket.map((b) => b.runId) } : meanSeries(nonEmpty, groupId, label, view));
  }
  return out;
}
