// The shipped self-play replays (docs/selfplay/replays) are exactly what `npm run selfplay:replays` makes
// from the recordings: a re-recorded loop whose replay was not regenerated fails here.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSelfplayReplay } from '../src/experiment/selfplayReplay';
import { SELFPLAY_LOOP_IDS } from '../src/selfplay/registry';
import { recordingPath, replayPath, replayText } from './selfplayReplayFiles';

describe('docs/selfplay/replays', () => {
  for (const loop of SELFPLAY_LOOP_IDS) {
    it(`${loop}: the shipped replay is its recording's, and reads back`, () => {
      expect(existsSync(recordingPath(loop)), `${recordingPath(loop)} is recorded`).toBe(true);
      const text = readFileSync(replayPath(loop), 'utf8');
      expect(text, 'regenerate with npm run selfplay:replays').toBe(replayText(loop));
      const read = readSelfplayReplay(text);
      if (!read.ok) throw new Error(read.message);
      const recording = JSON.parse(readFileSync(recordingPath(loop), 'utf8')) as { variants: { name: string; iterations: unknown[] }[] };
      // Every variant, with the starting policy and every iteration.
      expect(read.replay.variants.map((v) => [v.name, v.rows.length])).toEqual(recording.variants.map((v) => [v.name, v.iterations.length + 1]));
      expect(read.replay.variants.filter((v) => v.role === 'loop')).toHaveLength(1);
    });
  }
});
