// docs/gallery/README.md and the card figures (docs/gallery/<card>.svg), from claims.json and the records.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GALLERY_CARDS } from '../src/experiment/galleryCards';
import { GALLERY_SEEDS } from '../src/experiment/galleryArms';
import { CEILING, FLOOR, type JudgedClaim } from '../src/experiment/galleryClaims';
import { cardFigureSeeds } from './galleryFigureSeeds';
import { GALLERY_DIR, readArmReplicas, type ClaimsFile } from './galleryClaimsFile';

const f = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3));

function claimRow(c: JudgedClaim): string {
  const bound = 'atLeast' in c.claim ? `≥ ${c.claim.atLeast}` : `≤ ${c.claim.atMost}`;
  const window = c.baselineWindow ? `${c.window} vs ${c.baselineWindow}` : c.window;
  if (c.verdict === undefined) return `| ${c.text} | \`${c.metric}\`, ${window}, A − B ${bound} | not recorded yet | | | |`;
  const perSeed = c.seeds!.map((s) => `${s}: ${f(c.values![0][s])} / ${f(c.values![1][s])}`).join('; ');
  return `| ${c.text} | \`${c.metric}\`, ${window}, A − B ${bound} | **${c.verdict}** — ${c.reason} | ${f(c.effect!)} | [${f(c.ci![0])}, ${f(c.ci![1])}] | ${perSeed} |`;
}

export function writeGalleryReadme(file: ClaimsFile): void {
  const judged = new Map(file.cards.map((c) => [c.id, c]));
  const all = file.cards.flatMap((c) => c.claims);
  const count = (v: string) => all.filter((c) => c.verdict === v).length;
  const lines = [
    '# Gallery: each paper\'s dynamic over seeds',
    '',
    `Made by \`npm run gallery:record\` (scripts/galleryRecordArms.ts): every arm (src/experiment/galleryArms.ts) trained in Node on the`,
    `CPU back end with \`scripts/train.ts\`, once per training seed (${GALLERY_SEEDS.join(', ')}); records in \`docs/gallery/runs/<arm>/seed-<s>.json\`,`,
    'instant replays for the lab in `docs/gallery/replays/<arm>.json`.',
    '',
    'Every claim was written — its metric, window, arms and bound — and committed in `claims.json` before any arm was recorded.',
    'A claim is judged as the mean paired difference A − B over seeds (the same seed shares base, prompt stream and evaluation',
    "prompts), with a 95 % t-interval (runComparison.ts, the lab's comparison view): **shown** when the interval lies beyond zero in",
    'the claimed direction (and beyond the bound itself for a "no worse than" claim) and the mean clears the bound; **untestable** when',
    `the metric is a [0, 1] rate whose B side is at the ceiling (≥ ${CEILING}) for a rise or the floor (≤ ${FLOOR}) for a fall; **not shown**`,
    'otherwise. A tie is never shown, not even for a "no worse than" claim. `npm test` (src/experiment/galleryClaims.test.ts) recomputes every value and verdict from',
    'the records. With three seeds the t-interval is wide (t = 4.30); and with this many claims at 95 %, one or two may look shown by',
    'chance — read the per-seed values.',
    '',
    `So far: ${count('shown')} shown, ${count('not shown')} not shown, ${count('untestable')} untestable, ${all.filter((c) => c.verdict === undefined).length} not recorded yet (of ${all.length} claims on ${file.cards.length} cards).`,
    '',
  ];
  for (const card of GALLERY_CARDS) {
    const claims = judged.get(card.id)?.claims ?? card.claims;
    lines.push(`## ${card.title}`, '', `*${card.paper}* — setting: ${card.setting}.`, '');
    const svg = cardFigureSeeds({ ...card, claims }, readArmReplicas);
    if (svg) {
      writeFileSync(join(GALLERY_DIR, `${card.id}.svg`), svg);
      lines.push(`![${card.title}](${card.id}.svg)`, '');
    }
    lines.push('| claim (A − B) | metric, window, bound | verdict | effect | 95 % CI | per seed: A / B |', '|---|---|---|---|---|---|');
    for (const c of claims) lines.push(claimRow(c));
    lines.push('');
    if (card.reading) lines.push(`**Reading** (written after recording; the verdicts above are computed): ${card.reading}`, '');
  }
  writeFileSync(join(GALLERY_DIR, 'README.md'), lines.join('\n'));
}
