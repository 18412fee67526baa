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

function meanSeries(group: RunSeries[], groupId: string, label: string, view: SeedView): RunSeries {
  const first = group[0];
  // A non-finite value (a diverged step) leaves that seed out at that step rather than failing the chart.
  const xy = group.map((s) => s.points.filter((p) => Number.isFinite(p.value)).map((p) => ({ x: p.step, y: p.value })));
  const raw = stepBand(xy);
  // wall / samples of a mean point: the mean over the seeds that have the step.
  const extra = new Map<number, { wall: number; samples: number; n: number; hasSamples: boolean }>();
  for (const s of group) {
    for (const p of s.points) {
      if (!Number.isFinite(p.value)) continue;
      const e = extra.get(p.step) ?? { wall: 0, samples: 0, n: 0, hasSamples: true };
      e.wall += p.wall;
      e.samples += p.samples ?? 0;
      e.hasSamples &&= p.samples !== undefined;
      e.n++;
      extra.set(p.step, e);
    }
  }
  const points: Point[] = raw.map((b) => {
    const e = extra.get(b.x)!;
    return { step: b.x, wall: e.wall / e.n, ...(e.hasSamples ? { samples: e.samples / e.n } : {}), value: b.mean };
  });
  // Smoothed bands depend on the weight: computed once per weight (the slider moves rarely).
  let cached: { weight: number; band: ReturnType<typeof stepBand> } | null = null;
  const smoothedBand = (weight: number) => {
    if (!cached || cached.weight !== weight) cached = { weight, band: weight > 0 ? stepBand(xy, weight) : raw };
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
