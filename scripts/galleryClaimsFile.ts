// Reading and writing docs/gallery/claims.json and the gallery's per-seed records (Node only).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GALLERY_SEEDS } from '../src/experiment/galleryArms';
import { judgeFromRecords, type JudgedClaim } from '../src/experiment/galleryClaims';
import type { ComparableReplica } from '../src/experiment/runComparison';
import { comparableSteps, type SelfplayIterations } from '../src/experiment/selfplayRecord';

export const GALLERY_DIR = 'docs/gallery';
export const CLAIMS_PATH = join(GALLERY_DIR, 'claims.json');

export interface ClaimsFile {
  format: 'rlvr-lab-gallery-claims/1';
  designedAt: string;
  note: string;
  cards: { id: string; title: string; setting: string; claims: JudgedClaim[] }[];
}

export function armRecordPath(arm: string, seed: number): string {
  return join(GALLERY_DIR, 'runs', arm, `seed-${seed}.json`);
}

/** Every recorded seed of an arm, as the comparison reads them (seed from the record's config). */
export function readArmReplicas(arm: string): ComparableReplica[] {
  const dir = join(GALLERY_DIR, 'runs', arm);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^seed-[0-9]+\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { config: { seed: number }; steps: object[]; selfplay?: SelfplayIterations; evaluations: ComparableReplica['evaluations']; finishedAt: string | null })
    .filter((r) => r.finishedAt !== null)
    .map((r) => ({ seed: r.config.seed, steps: comparableSteps(r), evaluations: r.evaluations }))
    .sort((a, b) => a.seed - b.seed);
}

export function readClaimsFile(): ClaimsFile {
  return JSON.parse(readFileSync(CLAIMS_PATH, 'utf8')) as ClaimsFile;
}

export function writeClaimsFile(file: ClaimsFile): void {
  writeFileSync(CLAIMS_PATH, `${JSON.stringify(file, null, 1)}\n`);
}

/** Every claim judged from the records on disk (the design alone where an arm is not recorded yet). */
export function judgeGalleryClaims(file: ClaimsFile, replicasOf: (arm: string) => ComparableReplica[] = readArmReplicas): ClaimsFile {
  const cache = new Map<string, ComparableReplica[]>();
  const of = (arm: string) => {
    if (!cache.has(arm)) cache.set(arm, replicasOf(arm));
    return cache.get(arm)!;
  };
  return { ...file, cards: file.cards.map((card) => ({ ...card, claims: card.claims.map((c) => judgeFromRecords(c, of, GALLERY_SEEDS)) })) };
}
