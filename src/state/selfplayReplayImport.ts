// A self-play replay (src/experiment/selfplayReplay.ts) into the runs store: one stopped self-play run per
// recorded variant (the loop, its control), with the loop preset's config, so the self-play plots draw
// the recording before any training and a live run of the preset overlays it. Through the store's own
// actions, so the runs persist like any other; imported before (this page load or an earlier one, found
// by label), they are shown again rather than copied. The loop's run becomes the active run: the plots
// panel shows the self-play charts of the active run's loop.
import { presetConfig } from '../experiment/presets';
import { replayPoints, replayRunLabel, type SelfplayReplay } from '../experiment/selfplayReplay';
import type { RunRecord, RunsState } from './runRecord';

type ReplayActions = Pick<RunsState, 'runs' | 'createRun' | 'appendSelfplay' | 'setStatus' | 'toggleVisible' | 'setActiveRun'>;

const loopOf = (run: RunRecord) => run.config.selfplay.loop;

/** Imports (or shows again) the replay's runs; returns their ids, the loop's first, and how many are new. */
export function importSelfplayReplay(store: () => ReplayActions, replay: SelfplayReplay): { runIds: string[]; created: number } {
  const config = { ...presetConfig(replay.preset), seed: replay.seed, seeds: 1 };
  const ordered = [...replay.variants].sort((a, b) => Number(b.role === 'loop') - Number(a.role === 'loop'));
  const runIds: string[] = [];
  let created = 0;
  for (const variant of ordered) {
    const label = replayRunLabel(variant);
    const existing = store().runs.find((r) => r.label === label && loopOf(r) === replay.loop);
    if (existing) {
      if (!existing.visible) store().toggleVisible(existing.id);
      runIds.push(existing.id);
      continue;
    }
    const id = store().createRun(config, label);
    for (const p of replayPoints(variant)) store().appendSelfplay(id, replay.loop, p.iteration, p.metrics);
    store().setStatus(id, 'stopped');
    runIds.push(id);
    created++;
  }
  store().setActiveRun(runIds[0]);
  return { runIds, created };
}
