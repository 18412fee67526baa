// The self-play replays' files (issue 19): where each loop's recording and replay live, and the replay
// text a recording gives. `npm run selfplay:replays` (scripts/selfplayReplays.ts) writes them; a test
// (selfplayReplayFiles.test.ts) checks the shipped replays are what their recordings give.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selfplayReplayFromRecording, serializeSelfplayReplay } from '../src/experiment/selfplayReplay';
import type { SelfplayLoopId } from '../src/selfplay/registry';

export const SELFPLAY_DIR = 'docs/selfplay';
export const SELFPLAY_REPLAY_DIR = join(SELFPLAY_DIR, 'replays');

/** A loop's recording (by `npm run selfplay -- --loop <loop>`, at its default --out). */
export const recordingPath = (loop: SelfplayLoopId) => join(SELFPLAY_DIR, loop, 'metrics.json');
export const replayPath = (loop: SelfplayLoopId) => join(SELFPLAY_REPLAY_DIR, `${loop}.json`);

/** The replay text of a loop's recording, or null when the loop has none. */
export function replayText(loop: SelfplayLoopId): string | null {
  const source = recordingPath(loop);
  if (!existsSync(source)) return null;
  return serializeSelfplayReplay(selfplayReplayFromRecording(JSON.parse(readFileSync(source, 'utf8')), source));
}

