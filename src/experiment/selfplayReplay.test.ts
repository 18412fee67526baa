// The self-play replays' conversion: a recording (rlvr-lab-selfplay/1) becomes per-variant points with
// the live run's numbering (0 = the starting policy, k = after k iterations) and the live run's flattened
// keys; the compact text reads back to the same points; a broken file is refused with a reason.
import { describe, expect, it } from 'vitest';
import { flattenMetrics } from '../selfplay/flattenMetrics';
import { getPreset } from './presets';
import { readSelfplayReplay, replayPoints, replayPreset, replayRunLabel, selfplayReplayFromRecording, serializeSelfplayReplay, SELFPLAY_REPLAY_FORMAT } from './selfplayReplay';
import { SELFPLAY_LOOP_IDS } from '../selfplay/registry';

const heldout = (d1: number, d2: number) => ({ accuracy: { d1, d2 }, mean: (d1 + d2) / 2, greedy: { d1: 1, d2: 0.5 } });

/** A small SPIN recording in the recorder's shape: the loop and its SFT control, two iterations each. */
const spinRecording = {
  format: 'rlvr-lab-selfplay/1',
  loop: 'spin',
  command: 'npm run selfplay -- --loop spin',
  backend: 'cpu',
  checkpoint: { file: 'public/checkpoints/addition.safetensors', sha256: 'abc', made: null, steps: null },
  model: { config: {}, parameters: 1 },
  seed: 1,
  startedAt: '2026-11-23T15:45:59.552Z',
  seconds: 10,
  variants: [
    {
      name: 'spin',
      config: {},
      baseline: heldout(0.890625, 0.6328125),
      iterations: [
        { iteration: 0, loss: 0.689533170312643, generated_equals_real: 0.78125, heldout: heldout(0.8828125, 0.6015625), examples: ['64+23=87 vs "87"'], seconds: 10.111 },
        { iteration: 1, loss: 0.6823, generated_equals_real: 0.6953125, heldout: null, examples: [], seconds: 8.2 },
      ],
      seconds: 20,
    },
    { name: 'sft-same-data', config: {}, baseline: heldout(0.890625, 0.6328125), iterations: [{ iteration: 0, loss: 0.1, heldout: heldout(0.93, 0.69), seconds: 4.4 }], seconds: 5 },
  ],
};

describe('selfplayReplayFromRecording', () => {
  const replay = selfplayReplayFromRecording(spinRecording, 'docs/selfplay/spin/metrics.json');

  it('keeps the loop, its preset, seed and source, and names the variants in words with their role', () => {
    expect(replay).toMatchObject({ format: SELFPLAY_REPLAY_FORMAT, loop: 'spin', preset: 'selfplay-spin', seed: 1, checkpointSha256: 'abc', source: 'docs/selfplay/spin/metrics.json' });
    expect(replay.variants.map((v) => [v.name, v.label, v.role])).toEqual([
      ['spin', 'SPIN', 'loop'],
      ['sft-same-data', 'control: SFT on the same pairs', 'control'],
    ]);
    expect(replayRunLabel(replay.variants[0])).toBe('SPIN (recorded, one seed)');
  });

  it('numbers points as a live run does: 0 = the baseline evaluation, k = after iteration k', () => {
    const points = replayPoints(replay.variants[0]);
    expect(points.map((p) => p.iteration)).toEqual([0, 1, 2]);
    expect(points[0].metrics).toEqual({ 'heldout/accuracy/d1': 0.8906, 'heldout/accuracy/d2': 0.6328, 'heldout/mean': 0.7617, 'heldout/greedy/d1': 1, 'heldout/greedy/d2': 0.5 });
    expect(points[1].metrics.generated_equals_real).toBe(0.7813);
    expect(points[1].metrics['heldout/accuracy/d1']).toBe(0.8828);
    // No evaluation at that iteration: no held-out key, not a zero.
    expect(points[2].metrics['heldout/mean']).toBeUndefined();
    expect(points[2].metrics.loss).toBe(0.6823);
  });

  it('has the keys the live driver flattens (strings and arrays left out), rounded to 4 significant digits', () => {
    const live = flattenMetrics(spinRecording.variants[0].iterations[0]);
    const point = replayPoints(replay.variants[0])[1].metrics;
    expect(Object.keys(point).sort()).toEqual(Object.keys(live).sort());
    // 4 significant digits: within half a unit of the 4th digit, i.e. 5e-4 relative.
    for (const [k, v] of Object.entries(live)) expect(Math.abs(point[k] - v), k).toBeLessThanOrEqual(Math.abs(v) * 5e-4);
    expect(Object.keys(point)).not.toContain('examples');
  });

  it("self-consuming's generation 0 is its whole evaluation (diversity, length), not only held-out", () => {
    const gen0 = { heldout: heldout(0.87, 0.66), diversity: 0.2578125, mean_length: 3.046875, length_histogram: [0, 88] };
    const r = selfplayReplayFromRecording(
      { ...spinRecording, loop: 'self-consuming', variants: [{ name: 'pure', config: {}, start: { generation0: gen0 }, baseline: gen0.heldout, iterations: [{ generation: 1, diversity: 0.27, heldout: heldout(0.8, 0.5), seconds: 6 }], seconds: 7 }] },
      'x',
    );
    const points = replayPoints(r.variants[0]);
    expect(points[0].metrics).toMatchObject({ diversity: 0.2578, mean_length: 3.047 });
    expect(points[1]).toMatchObject({ iteration: 1, metrics: { diversity: 0.27 } });
    expect(Object.keys(points[1].metrics)).not.toContain('generation');
    expect(r.variants[0]).toMatchObject({ label: 'self-consuming, pure (T 1)', role: 'loop' });
  });

  it('refuses a file that is not a self-play recording', () => {
    expect(() => selfplayReplayFromRecording({ ...spinRecording, format: 'rlvr-lab-run/1' }, 'x')).toThrow();
    expect(() => selfplayReplayFromRecording({ ...spinRecording, loop: 'chess' }, 'x')).toThrow();
  });

  it('every loop has a preset of its recorded setting', () => {
    for (const loop of SELFPLAY_LOOP_IDS) expect(getPreset(replayPreset(loop)), loop).toBeDefined();
  });
});

describe('serializeSelfplayReplay / readSelfplayReplay', () => {
  const replay = selfplayReplayFromRecording(spinRecording, 'docs/selfplay/spin/metrics.json');

  it('round-trips: the text reads back to the same replay, one line per row', () => {
    const text = serializeSelfplayReplay(replay);
    const read = readSelfplayReplay(text);
    expect(read).toEqual({ ok: true, replay });
    expect(text.split('\n').filter((l) => l.trim().startsWith('[')).length).toBe(3 + 2);
  });

  it('refuses what is not JSON, another format, and rows that do not fit their keys', () => {
    expect(readSelfplayReplay('{"format":')).toMatchObject({ ok: false, message: expect.stringContaining('not JSON') });
    expect(readSelfplayReplay(JSON.stringify({ ...replay, format: 'rlvr-lab-seeds/1' }))).toMatchObject({ ok: false, message: expect.stringContaining(SELFPLAY_REPLAY_FORMAT) });
    const short = { ...replay, variants: [{ ...replay.variants[0], rows: [[0, 1]] }] };
    expect(readSelfplayReplay(JSON.stringify(short))).toMatchObject({ ok: false, message: expect.stringContaining('row 0') });
    const backwards = { ...replay, variants: [{ ...replay.variants[0], rows: [...replay.variants[0].rows].reverse() }] };
    expect(readSelfplayReplay(JSON.stringify(backwards))).toMatchObject({ ok: false, message: expect.stringContaining('row 1') });
  });
});
