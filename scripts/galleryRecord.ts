// npm run gallery:record [-- --only default,kl-reset] [--missing] [--figures-only]
// Records every preset the gallery's cards compare (src/experiment/gallery.ts), one after another, with
// the same code as `npm run train` (it runs scripts/train.ts with the card's link, i.e. the preset and
// the gallery's run budget GALLERY_RUN), into docs/gallery/<preset>/metrics.json (+ metrics.csv). Then
// draws each card's figure to docs/gallery/<card>.svg and writes docs/gallery/README.md: every card's
// claims with the recorded numbers and whether they held. --missing skips presets whose record is
// complete and was made with the card's current link; --figures-only redraws from the records.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GALLERY, GALLERY_RUN, MIN_EFFECT, galleryExperiment, galleryPresets, type GalleryRun } from '../src/experiment/gallery';
import { encodeExperiment } from '../src/experiment/urlCodec';
import { cardFigure } from './galleryFigure';

const OUT = 'docs/gallery';

const STALE_BUDGET_NOTE = [
  '> **Recorded before the answer-budget fix (issue 15, 2026-12-04).** These records used a fixed budget of 8 new',
  "> tokens for every task, scored completions cut off by the budget on their text, and evaluated with the task's",
  "> longest answer + 1. The lab now takes each task's own budget (longest answer + EOS + a margin; addition: 9),",
  '> scores a cut-off completion as an overlong answer (wrong), and evaluates with the training budget. The numbers',
  '> below are kept as recorded; they are not what the same command gives today, until they are re-recorded',
  '> (the gallery issue, #18, re-records them).',
].join('\n');

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function readRun(preset: string): (GalleryRun & { finishedAt: string | null; seconds: number }) | null {
  const path = join(OUT, preset, 'metrics.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
}

function isCurrent(preset: string): boolean {
  const run = readRun(preset);
  return run !== null && run.finishedAt !== null && run.link === encodeExperiment(galleryExperiment(preset));
}

function record(preset: string): void {
  const link = encodeExperiment(galleryExperiment(preset));
  console.log(`\ngallery: recording ${preset} (${GALLERY_RUN.steps} steps, eval ${GALLERY_RUN.evalPrompts} × ${GALLERY_RUN.evalSamples} every ${GALLERY_RUN.evalEvery}) — ${link}`);
  const result = spawnSync('npx', ['vite-node', 'scripts/train.ts', '--link', link, '--out', join(OUT, preset)], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`gallery: recording ${preset} failed (exit ${result.status})`);
}

function drawAndSummarise(): void {
  const runs: Record<string, GalleryRun> = {};
  for (const preset of galleryPresets()) {
    const run = readRun(preset);
    if (run) runs[preset] = run;
  }
  // Records made before task-correct answer budgets (issue 15) carry no algorithm.truncation.
  const stale = Object.values(runs).some((r) => (r as { config?: { algorithm?: { truncation?: string } } }).config?.algorithm?.truncation === undefined);
  const lines = [
    '# Preset gallery: recorded dynamics',
    '',
    ...(stale ? [STALE_BUDGET_NOTE, ''] : []),
    `Made by \`npm run gallery:record\` (scripts/galleryRecord.ts): every arm of every card recorded in Node on the CPU backend`,
    `with \`scripts/train.ts\`, ${GALLERY_RUN.steps} steps each (B 16 prompts × G 8 samples, the addition base checkpoint, arm d2),`,
    `held-out evaluation of ${GALLERY_RUN.evalPrompts} prompts × ${GALLERY_RUN.evalSamples} samples at steps 0, ${GALLERY_RUN.evalEvery}, … ${GALLERY_RUN.steps}.`,
    'Each claim was written from its paper before the recording; `src/experiment/gallery.test.ts` re-checks it against',
    'these records in `npm test` and fails if a card says an effect was shown when it was not (or the reverse).',
    `One rule was added after the first look, and it only makes claims harder to meet: a claim that one arm's entropy`,
    `or length is higher than another's needs a gap of at least ${MIN_EFFECT * 100} % (MIN_EFFECT); it turned two near-ties into "did not hold".`,
    'Claims that did not hold are marked "not seen" on their cards, whose text says so.',
    '',
  ];
  for (const card of GALLERY) {
    lines.push(`## ${card.title}`, '');
    if (card.recordedElsewhere) lines.push(`Recorded elsewhere: \`${card.recordedElsewhere.path}\` (\`${card.recordedElsewhere.command}\`).`, '');
    const svg = cardFigure(card, runs);
    if (svg) {
      writeFileSync(join(OUT, `${card.id}.svg`), svg);
      lines.push(`![${card.title}](${card.id}.svg)`, '');
    }
    if (card.arms.length > 0) {
      lines.push(`Arms: ${card.arms.map((a) => `${a.label} (\`${a.preset}\`${runs[a.preset] ? `, ${Math.round((runs[a.preset] as GalleryRun & { seconds: number }).seconds)} s` : ', not recorded'})`).join('; ')}.`, '');
    }
    for (const claim of card.claims) {
      let verdict: string;
      try {
        const c = claim.check(runs);
        verdict = `${c.holds ? 'held' : 'did not hold'} — ${c.evidence}${c.holds === claim.shown ? '' : ' **(the card says otherwise: fix the card)**'}`;
      } catch (e) {
        verdict = `not checked: ${(e as Error).message}`;
      }
      lines.push(`- ${claim.text}: ${verdict}`);
    }
    if (card.claims.length > 0) lines.push('');
  }
  writeFileSync(join(OUT, 'README.md'), lines.join('\n'));
  console.log(`gallery: wrote ${join(OUT, 'README.md')} and the card figures`);
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  if (!process.argv.includes('--figures-only')) {
    const only = argValue('only')?.split(',').filter(Boolean);
    const all = galleryPresets();
    for (const p of only ?? []) if (!all.includes(p)) throw new Error(`gallery: ${p} is not a gallery preset (${all.join(', ')})`);
    const chosen = only ?? all;
    const started = performance.now();
    for (const preset of chosen) {
      if (process.argv.includes('--missing') && isCurrent(preset)) {
        console.log(`gallery: ${preset} is recorded with the current link; skipped`);
        continue;
      }
      record(preset);
      drawAndSummarise();
    }
    console.log(`gallery: recorded ${chosen.length} presets in ${((performance.now() - started) / 60000).toFixed(1)} min`);
  }
  drawAndSummarise();
}

main();
