// Instant replays of the self-play loops (issue 19): each loop's recording, docs/selfplay/<loop>/metrics.json
// (rlvr-lab-selfplay/1, written by `npm run selfplay`), in a compact form the lab ships and imports as
// stopped self-play runs — the loop and its control (or variants) — so the self-play plots have points
// before any training. One seed per loop: the replays are anecdotes, and are labelled so.
//
// Each variant's points are what a live run of the same loop reports (src/worker/selfplayDriver.ts):
// iteration 0 is the starting policy (its held-out evaluation; self-consuming's whole generation-0
// evaluation), iteration k the metrics after k iterations, flattened by the same flattenMetrics, so a
// replay and a live run overlay key for key. Stored column-wise (one key list, one row per iteration)
// with numbers rounded to 4 significant digits, far finer than one seed's noise.
import { z } from 'zod';
import { flattenMetrics } from '../selfplay/flattenMetrics';
import { SELFPLAY_LOOP_IDS, type SelfplayLoopId } from '../selfplay/registry';

export const SELFPLAY_REPLAY_FORMAT = 'rlvr-lab-selfplay-replay/1';
export const SELFPLAY_RECORDING_FORMAT = 'rlvr-lab-selfplay/1';

/** What every replay's runs are called after their variant's name: they are single anecdotes. */
export const RECORDED_ONE_SEED = 'recorded, one seed';

/** The role of a variant in its loop's recording: the loop itself, or what it is compared against. */
export type ReplayRole = 'loop' | 'control';

/** The recordings' variant names (scripts/selfplay.ts) in words; a name not listed keeps its own. */
const VARIANTS: Record<SelfplayLoopId, Record<string, { label: string; role: ReplayRole }>> = {
  'propose-solve': { 'propose-solve': { label: 'propose/solve', role: 'loop' } },
  spin: {
    spin: { label: 'SPIN', role: 'loop' },
    'sft-same-data': { label: 'control: SFT on the same pairs', role: 'control' },
  },
  'creator-solver': {
    creator: { label: 'creator/solver', role: 'loop' },
    'fresh-only': { label: 'control: fresh prompts only (GRPO)', role: 'control' },
  },
  'self-consuming': {
    pure: { label: 'self-consuming, pure (T 1)', role: 'loop' },
    'pure-T0.7': { label: 'self-consuming, pure (T 0.7)', role: 'control' },
    'fresh-50%': { label: 'self-consuming, 50 % fresh data', role: 'control' },
    curated: { label: 'self-consuming, verifier-curated', role: 'control' },
  },
};

const heldOutSchema = z.object({ accuracy: z.record(z.string(), z.number()), mean: z.number() }).passthrough();

/** The part of a recording (scripts/selfplay.ts's RunRecord) a replay reads; the rest is left as is. */
const recordingSchema = z.object({
  format: z.literal(SELFPLAY_RECORDING_FORMAT),
  loop: z.enum(SELFPLAY_LOOP_IDS as [SelfplayLoopId, ...SelfplayLoopId[]]),
  command: z.string(),
  seed: z.number().int(),
  startedAt: z.string(),
  checkpoint: z.object({ sha256: z.string() }).passthrough(),
  variants: z
    .array(
      z.object({
        name: z.string(),
        start: z.record(z.string(), z.unknown()).optional(),
        baseline: heldOutSchema,
        iterations: z.array(z.record(z.string(), z.unknown())),
      }),
    )
    .min(1),
});
export type SelfplayRecording = z.infer<typeof recordingSchema>;

const variantSchema = z.object({
  name: z.string(),
  label: z.string().min(1),
  role: z.enum(['loop', 'control']),
  keys: z.array(z.string()),
  /** [iteration, value of keys[0], value of keys[1], …]; null where the iteration has no such metric. */
  rows: z.array(z.array(z.number().nullable())),
});
export type SelfplayReplayVariant = z.infer<typeof variantSchema>;

const replaySchema = z.object({
  format: z.literal(SELFPLAY_REPLAY_FORMAT),
  loop: z.enum(SELFPLAY_LOOP_IDS as [SelfplayLoopId, ...SelfplayLoopId[]]),
  /** The lab's preset of the recorded setting: the replay's runs carry its config, "Run it live" loads it. */
  preset: z.string(),
  seed: z.number().int(),
  recordedAt: z.string(),
  command: z.string(),
  checkpointSha256: z.string(),
  /** The recording it was made from (the test checks the shipped replay against it). */
  source: z.string(),
  variants: z.array(variantSchema).min(1),
});
export type SelfplayReplay = z.infer<typeof replaySchema>;

/** The preset of a loop's recorded setting (src/experiment/presets.ts names them so). */
export const replayPreset = (loop: SelfplayLoopId) => `selfplay-${loop}`;

/** What a variant's run is called in the lab. */
export const replayRunLabel = (variant: Pick<SelfplayReplayVariant, 'label'>) => `${variant.label} (${RECORDED_ONE_SEED})`;

/** The metrics of the starting policy as the live run reports them at iteration 0. */
function startMetrics(loop: SelfplayLoopId, variant: SelfplayRecording['variants'][number]): unknown {
  // Self-consuming evaluates generation 0 like every generation (diversity, length too); the other loops
  // report the starting policy's held-out evaluation (propose/solve's after its warm-up, as recorded).
  if (loop === 'self-consuming' && variant.start?.generation0) return variant.start.generation0;
  return { heldout: variant.baseline };
}

const round = (v: number) => (Number.isInteger(v) ? v : Number(v.toPrecision(4)));

/** A recording (its parsed JSON) as a compact replay; `source` is the recording's path, kept in the replay. */
export function selfplayReplayFromRecording(recording: unknown, source: string): SelfplayReplay {
  const r = recordingSchema.parse(recording);
  const variants = r.variants.map((v): SelfplayReplayVariant => {
    const points = [flattenMetrics(startMetrics(r.loop, v)), ...v.iterations.map((m) => flattenMetrics(m))];
    // Every key any point has, in the order they first appear (a Set keeps insertion order).
    const keys = [...new Set(points.flatMap((p) => Object.keys(p)))];
    const known = VARIANTS[r.loop][v.name];
    return {
      name: v.name,
      label: known?.label ?? v.name,
      role: known?.role ?? (v === r.variants[0] ? 'loop' : 'control'),
      keys,
      rows: points.map((p, iteration) => [iteration, ...keys.map((k) => (k in p ? round(p[k]) : null))]),
    };
  });
  return {
    format: SELFPLAY_REPLAY_FORMAT,
    loop: r.loop,
    preset: replayPreset(r.loop),
    seed: r.seed,
    recordedAt: r.startedAt,
    command: r.command,
    checkpointSha256: r.checkpoint.sha256,
    source,
    variants,
  };
}

/** The replay file's text: one line per variant row keeps diffs of a re-recording readable. */
export function serializeSelfplayReplay(replay: SelfplayReplay): string {
  const { variants, ...head } = replay;
  const variantText = variants.map(({ rows, ...v }) => {
    const open = JSON.stringify({ ...v, rows: [] }).slice(0, -2); // up to and including "rows":[
    return `${open}\n${rows.map((row) => `      ${JSON.stringify(row)}`).join(',\n')}\n    ]}`;
  });
  return `${JSON.stringify(head).slice(0, -1)},"variants":[\n    ${variantText.join(',\n    ')}\n]}\n`;
}

export type SelfplayReplayResult = { ok: true; replay: SelfplayReplay } | { ok: false; message: string };

/** Reads a replay file's text, checking its shape and that every row fits its key list. */
export function readSelfplayReplay(text: string): SelfplayReplayResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const parsed = replaySchema.safeParse(json);
  if (!parsed.success) return { ok: false, message: `not a ${SELFPLAY_REPLAY_FORMAT} file: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  for (const v of parsed.data.variants) {
    const bad = v.rows.findIndex((row, i) => row.length !== v.keys.length + 1 || row[0] === null || (i > 0 && row[0] <= (v.rows[i - 1][0] ?? -1)));
    if (bad >= 0) return { ok: false, message: `variant ${v.name}: row ${bad} does not fit (an iteration, after the one before, then one value per key)` };
  }
  return { ok: true, replay: parsed.data };
}

/** A variant's points as the runs store takes them (appendSelfplay): iteration and its metrics. */
export function replayPoints(variant: SelfplayReplayVariant): { iteration: number; metrics: Record<string, number> }[] {
  return variant.rows.map(([iteration, ...values]) => {
    const metrics: Record<string, number> = {};
    variant.keys.forEach((k, i) => {
      const v = values[i];
      if (v !== null && v !== undefined) metrics[k] = v;
    });
    return { iteration: iteration ?? 0, metrics };
  });
}
