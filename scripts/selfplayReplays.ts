// npm run selfplay:replays — the self-play loops' instant replays (issue 19): each registered loop's
// recording, docs/selfplay/<loop>/metrics.json, converted (src/experiment/selfplayReplay.ts) into
// docs/selfplay/replays/<loop>.json, which the lab imports as stopped self-play runs (the loop and its
// control, one seed each) so its self-play plots have points before any training. Run it after
// re-recording a loop with `npm run selfplay`; a test checks the shipped replays match their recordings.
import { mkdirSync, writeFileSync } from 'node:fs';
import { SELFPLAY_LOOP_IDS } from '../src/selfplay/registry';
import { recordingPath, replayPath, replayText, SELFPLAY_REPLAY_DIR } from './selfplayReplayFiles';

mkdirSync(SELFPLAY_REPLAY_DIR, { recursive: true });
for (const loop of SELFPLAY_LOOP_IDS) {
  const text = replayText(loop);
  if (text === null) {
    console.log(`${loop}: no recording at ${recordingPath(loop)}, skipped`);
    continue;
  }
  writeFileSync(replayPath(loop), text);
  console.log(`${loop}: ${replayPath(loop)} (${(text.length / 1024).toFixed(1)} KB)`);
}
