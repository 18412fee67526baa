// Instant replays (issue 19): a gallery arm's recorded seeds, shipped as docs/gallery/replays/<arm>.json
// (an rlvr-lab-seeds/1 run file written by `npm run gallery:record`), imported into the runs store like
// any run file — so the plots draw the recorded curves with their seed bands at once, with no GPU and
// before any training step; a live run of the same experiment then draws over them.
import { isGalleryArm, replayLabel } from '../../experiment/galleryArms';
import { importRunFile } from '../../state/runFiles';
import { useRunsStore } from '../../state/runsStore';
import { fetchRecording } from './fetchRecording';

// Lazy: each replay is fetched only when a card or lesson asks for it (they are ~100 KB each).
const REPLAYS = import.meta.glob('/docs/gallery/replays/*.json', { query: '?url', import: 'default' }) as Record<string, () => Promise<string>>;

const pathOf = (arm: string) => `/docs/gallery/replays/${arm}.json`;

export function hasReplay(arm: string): boolean {
  return pathOf(arm) in REPLAYS;
}

export type ReplayResult = { ok: true; arms: string[] } | { ok: false; message: string };

/** Imports the replays of `arms` (those recorded) into the runs store and makes them visible. */
export async function showReplays(arms: readonly string[]): Promise<ReplayResult> {
  const shown: string[] = [];
  for (const arm of arms) {
    const load = REPLAYS[pathOf(arm)];
    if (!load) continue;
    // Imported before (this page load or an earlier one: imported runs persist): shown again, not copied.
    const store = useRunsStore.getState();
    const existing = isGalleryArm(arm) ? store.runs.filter((r) => r.label === replayLabel(arm)) : [];
    if (existing.length > 0) {
      for (const run of existing) if (!run.visible) store.toggleVisible(run.id);
      shown.push(arm);
      continue;
    }
    const fetched = await fetchRecording(load, arm);
    if (!fetched.ok) return fetched;
    const result = importRunFile(useRunsStore.getState(), fetched.text);
    if (!result.ok) return { ok: false, message: `The recording of ${arm} is not a valid run file: ${result.message}` };
    shown.push(arm);
  }
  return { ok: true, arms: shown };
}
