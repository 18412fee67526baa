// npm run gallery:record [-- --only add-grpo,sort8-grpo] [--seeds 1,2,3] [--jobs 2] [--verdicts-only]
// Records the gallery's arms (src/experiment/galleryArms.ts), each with every seed of GALLERY_SEEDS, as
// separate `scripts/train.ts` runs — `--jobs` at a time (default: one per core), each given one matmul
// thread — into docs/gallery/runs/<arm>/seed-<s>.json. Resumable: a (arm, seed) whose record exists and
// was made with the arm's current link is skipped, so an interrupted recording goes on where it stopped,
// one finished run at a time. Then it judges every claim of docs/gallery/claims.json from the records
// (src/experiment/galleryClaims.ts) and writes the values, effects, intervals and verdicts back, and the
// instant replays the lab shows (scripts/galleryReplays.ts).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GALLERY_ARMS, GALLERY_SEEDS, galleryArmExperiment, isGalleryArm, type GalleryArmId } from '../src/experiment/galleryArms';
import { encodeExperiment } from '../src/experiment/urlCodec';
import { armRecordPath, judgeGalleryClaims, readClaimsFile, writeClaimsFile } from './galleryClaimsFile';
import { writeReplays } from './galleryReplays';
import { writeGalleryReadme } from './galleryReadme';

/** Recording order: the cheap addition arms first, then the cards that share the sorting arms, so that a
 *  session cut short leaves whole cards recorded rather than a little of each. */
const ORDER: GalleryArmId[] = [
  'add-grpo', 'add-hack-c05', 'add-hack-c1', 'add-k3-loss', 'add-k2-loss', 'add-k3-reset', 'add-coin',
  'sort8-grpo', 'sort8-4pass', 'sort8-4pass-eh028', 'sort8-4pass-eh10',
  'sort8-psr', 'sort8-nsr', 'sort8-reinforce', 'sort8-wreinforce',
  'cd3-grpo', 'cd3-drgrpo', 'sort8-coin', 'sort8-k2-loss', 'sort8-k3-loss',
  'race-uniform', 'race-dump', 'race-sec',
  'bstar-fixed', 'bstar-tuned',
  'spin-converged', 'spin-sft-control', 'ps-refs', 'ps-norefs',
];

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function armLink(arm: GalleryArmId, seed: number): string {
  return encodeExperiment(galleryArmExperiment(arm, seed));
}

function isRecorded(arm: GalleryArmId, seed: number): boolean {
  const path = armRecordPath(arm, seed);
  if (!existsSync(path)) return false;
  try {
    const run = JSON.parse(readFileSync(path, 'utf8')) as { link?: string; finishedAt?: string | null };
    return run.finishedAt != null && run.link === armLink(arm, seed);
  } catch {
    return false;
  }
}

function recordOne(arm: GalleryArmId, seed: number): Promise<void> {
  const link = armLink(arm, seed);
  const out = join(tmpdir(), `gallery-${arm}-seed-${seed}-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  const started = performance.now();
  console.log(`gallery: ${arm} seed ${seed} — started (${link})`);
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['vite-node', 'scripts/train.ts', '--link', link, '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RLVR_CPU_THREADS: '1' },
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`gallery: ${arm} seed ${seed} failed (exit ${code}):\n${tail}`));
        return;
      }
      const target = armRecordPath(arm, seed);
      mkdirSync(join(target, '..'), { recursive: true });
      renameSync(join(out, 'metrics.json'), target);
      rmSync(out, { recursive: true, force: true });
      console.log(`gallery: ${arm} seed ${seed} — recorded in ${((performance.now() - started) / 1000).toFixed(0)} s → ${target}`);
      resolve();
    });
  });
}

async function recordAll(units: { arm: GalleryArmId; seed: number }[], jobs: number): Promise<void> {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < units.length) {
      const { arm, seed } = units[next++];
      try {
        await recordOne(arm, seed);
      } catch (e) {
        failed++;
        console.error((e as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, units.length) }, worker));
  if (failed > 0) throw new Error(`gallery: ${failed} of ${units.length} runs failed`);
}

async function main(): Promise<void> {
  if (!process.argv.includes('--verdicts-only')) {
    const only = argValue('only')?.split(',').filter(Boolean);
    for (const a of only ?? []) if (!isGalleryArm(a)) throw new Error(`gallery: ${a} is not a gallery arm (${Object.keys(GALLERY_ARMS).join(', ')})`);
    const seeds = argValue('seeds')?.split(',').map(Number) ?? [...GALLERY_SEEDS];
    const arms = (only as GalleryArmId[] | undefined) ?? ORDER;
    const units = arms.flatMap((arm) => seeds.map((seed) => ({ arm, seed }))).filter(({ arm, seed }) => !isRecorded(arm, seed));
    const jobs = Number(argValue('jobs') ?? availableParallelism());
    console.log(`gallery: ${units.length} runs to record, ${jobs} at a time`);
    const started = performance.now();
    await recordAll(units, jobs);
    console.log(`gallery: recorded ${units.length} runs in ${((performance.now() - started) / 60000).toFixed(1)} min`);
  }
  console.log(`gallery: replays of ${writeReplays().join(', ') || 'no arm yet'}`);
  const file = readClaimsFile();
  const judged = judgeGalleryClaims(file);
  writeClaimsFile(judged);
  writeGalleryReadme(judged);
  for (const card of judged.cards) {
    for (const c of card.claims) console.log(`${card.id} / ${c.id}: ${c.verdict ?? 'not recorded'}${c.effect !== undefined ? ` (effect ${c.effect.toFixed(4)}, 95 % CI [${c.ci?.map((v) => v.toFixed(4)).join(', ')}])` : ''}`);
  }
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
