// The gallery's instant replays (issue 19): every fully recorded arm's seeds as one compact
// rlvr-lab-seeds/1 file, docs/gallery/replays/<arm>.json, which the lab imports like any run file — so a
// card or lesson shows its recorded curves, with seed bands, before (or without) any training here.
// Numbers are rounded to 4 significant digits (far finer than the seed spread) to keep the files small.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GALLERY_ARMS, GALLERY_SEEDS, replayLabel, type GalleryArmId } from '../src/experiment/galleryArms';
import { SEEDS_FORMAT, type RunFile, type SeedsFile } from '../src/experiment/runFile';
import { armRecordPath, GALLERY_DIR } from './galleryClaimsFile';

export const REPLAY_DIR = join(GALLERY_DIR, 'replays');

const round = (_key: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v);

/** Writes the replay of every arm whose seeds are all recorded; returns the arms written. */
export function writeReplays(): GalleryArmId[] {
  mkdirSync(REPLAY_DIR, { recursive: true });
  const written: GalleryArmId[] = [];
  for (const arm of Object.keys(GALLERY_ARMS) as GalleryArmId[]) {
    const paths = GALLERY_SEEDS.map((seed) => armRecordPath(arm, seed));
    if (!paths.every(existsSync)) continue;
    const replicas = GALLERY_SEEDS.map((seed, i) => {
      const record = JSON.parse(readFileSync(paths[i], 'utf8')) as RunFile;
      return { seed, record: { ...record, label: `${GALLERY_ARMS[arm].label} (recorded)` } };
    });
    const seconds = replicas.map((r) => r.record.seconds);
    const file: SeedsFile = {
      format: SEEDS_FORMAT,
      label: replayLabel(arm),
      seeds: [...GALLERY_SEEDS],
      seconds: Math.max(...seconds),
      sequentialSeconds: seconds.reduce((a, b) => a + b, 0),
      parallelism: 1, // recorded as separate runs (scripts/galleryRecordArms.ts), not one set in lockstep
      replicas,
    };
    writeFileSync(join(REPLAY_DIR, `${arm}.json`), JSON.stringify(file, round));
    written.push(arm);
  }
  return written;
}
