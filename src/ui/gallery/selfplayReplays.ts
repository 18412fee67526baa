// The self-play loops' instant replays (issue 19): docs/selfplay/replays/<loop>.json (written by
// `npm run selfplay:replays` from the loops' recordings), fetched when a lesson or the gallery's
// self-play card asks, and imported as stopped self-play runs (the loop and its control, one seed each).
import type { SelfplayLoopId } from '../../selfplay/registry';
import { readSelfplayReplay } from '../../experiment/selfplayReplay';
import { useRunsStore } from '../../state/runsStore';
import { importSelfplayReplay } from '../../state/selfplayReplayImport';
import { fetchRecording } from './fetchRecording';

// Lazy, like the gallery's replays: each file is fetched only when asked for.
const REPLAYS = import.meta.glob('/docs/selfplay/replays/*.json', { query: '?url', import: 'default' }) as Record<string, () => Promise<string>>;

const pathOf = (loop: SelfplayLoopId) => `/docs/selfplay/replays/${loop}.json`;

export function hasSelfplayReplay(loop: SelfplayLoopId): boolean {
  return pathOf(loop) in REPLAYS;
}

export type SelfplayReplayResult = { ok: true; labels: string[] } | { ok: false; message: string };

/** Imports the loop's recorded runs into the runs store (or shows them again) and makes the loop's active. */
export async function showSelfplayReplay(loop: SelfplayLoopId): Promise<SelfplayReplayResult> {
  const load = REPLAYS[pathOf(loop)];
  if (!load) return { ok: false, message: `The ${loop} loop has no recording yet: run it live.` };
  const fetched = await fetchRecording(load, loop);
  if (!fetched.ok) return fetched;
  const read = readSelfplayReplay(fetched.text);
  if (!read.ok) return { ok: false, message: `The recording of ${loop} is not a valid replay: ${read.message}` };
  importSelfplayReplay(useRunsStore.getState, read.replay);
  return { ok: true, labels: read.replay.variants.map((v) => v.label) };
}
