// A gallery card's figure over seeds (issue 18): a row of panels, one colour per arm, each arm drawn as
// the mean over its seeds with a shaded band (the seeds' min–max: with three seeds a t-band is mostly
// width, and min–max shows every seed), as a self-contained SVG for docs/gallery/README.md.
import { metricSeries, type ComparableReplica } from '../src/experiment/runComparison';
import { armLabel, type CardPanel, type GalleryCardV2 } from '../src/experiment/galleryCards';
import { galleryArmExperiment, type GalleryArmId } from '../src/experiment/galleryArms';
import { stepBand, type StepBandPoint } from '../src/stats';

export const ARM_COLOURS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e'];
const BASE_COLOUR = '#888';
/** Per-step metrics are smoothed per seed before the band (TensorBoard's debiased EMA weight). */
const SMOOTHING = 0.6;

interface Series {
  label: string;
  colour: string;
  dashed?: boolean;
  band: StepBandPoint[];
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** pass@k against log2 k of each seed's evaluation (first or last). */
function passkCurve(replica: ComparableReplica, which: 'first' | 'last') {
  const e = which === 'first' ? replica.evaluations[0] : replica.evaluations[replica.evaluations.length - 1];
  const ks = Object.keys((e.arms[0] as { passAtK: Record<string, number> }).passAtK).map(Number).sort((a, b) => a - b);
  return ks.map((k) => ({ x: Math.log2(k), y: e.arms.reduce((s, a) => s + (a as { passAtK: Record<string, number> }).passAtK[String(k)], 0) / e.arms.length }));
}

function panelSeries(panel: CardPanel, arms: { id: GalleryArmId; replicas: ComparableReplica[]; colour: string }[]): { title: string; xLabel: string; logX?: boolean; unit?: boolean; series: Series[] } {
  if (panel.kind === 'passk') {
    // The base: each figure arm's own step-0 evaluation is the same policy; the first arm's stands for it.
    const base: Series = { label: 'base (before RL)', colour: BASE_COLOUR, dashed: true, band: stepBand(arms[0].replicas.map((r) => passkCurve(r, 'first'))) };
    return {
      title: 'held-out pass@k vs k (end of training)',
      xLabel: 'k (log scale)',
      logX: true,
      unit: true,
      series: [base, ...arms.map((a) => ({ label: armLabel(a.id), colour: a.colour, band: stepBand(a.replicas.map((r) => passkCurve(r, 'last'))) }))],
    };
  }
  // A self-play arm's x is its loop iteration (evaluated after iteration n; iteration n's metrics).
  const xLabel = arms.every((a) => galleryArmExperiment(a.id).selfplay.loop !== 'none') ? 'iteration' : 'step';
  if (panel.kind === 'eval') {
    return {
      title: `held-out pass@${panel.k}`,
      xLabel,
      unit: true,
      series: arms.map((a) => ({ label: armLabel(a.id), colour: a.colour, band: stepBand(a.replicas.map((r) => metricSeries(r, `eval.pass@${panel.k}`, a.id))) })),
    };
  }
  return {
    title: panel.title,
    xLabel,
    unit: panel.metric === 'rewards.correctness',
    series: arms.filter((a) => !panel.arms || panel.arms.includes(a.id)).map((a) => ({ label: armLabel(a.id), colour: a.colour, band: stepBand(a.replicas.map((r) => metricSeries(r, panel.metric, a.id).map((p) => ({ x: p.x + 1, y: p.y }))), SMOOTHING) })),
  };
}

function drawPanel(p: ReturnType<typeof panelSeries>, x0: number, y0: number, w: number, h: number): string {
  const pts = p.series.flatMap((s) => s.band);
  const xMin = Math.min(...pts.map((q) => q.x));
  const xMax = Math.max(xMin + 1e-6, ...pts.map((q) => q.x));
  let yMin = Math.min(...pts.map((q) => q.min));
  let yMax = Math.max(...pts.map((q) => q.max));
  const pad = (yMax - yMin) * 0.08 || 0.05;
  yMin -= pad;
  yMax += pad;
  if (p.unit) {
    yMax = Math.min(1, yMax);
    yMin = Math.max(0, Math.min(yMin, yMax - 0.2));
  }
  const sx = (x: number) => x0 + ((x - xMin) / (xMax - xMin)) * w;
  const sy = (y: number) => y0 + h - ((Math.min(yMax, Math.max(yMin, y)) - yMin) / (yMax - yMin)) * h;
  const body = p.series
    .map((s) => {
      const upper = s.band.map((q) => `${sx(q.x).toFixed(1)},${sy(q.max).toFixed(1)}`);
      const lower = s.band.map((q) => `${sx(q.x).toFixed(1)},${sy(q.min).toFixed(1)}`).reverse();
      const line = s.band.map((q) => `${sx(q.x).toFixed(1)},${sy(q.mean).toFixed(1)}`).join(' ');
      const dots = s.band.length <= 8 ? s.band.map((q) => `<circle cx="${sx(q.x).toFixed(1)}" cy="${sy(q.mean).toFixed(1)}" r="2" fill="${s.colour}"/>`).join('') : '';
      return (
        `<polygon fill="${s.colour}" fill-opacity="0.15" stroke="none" points="${[...upper, ...lower].join(' ')}"/>` +
        `<polyline fill="none" stroke="${s.colour}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="4 3"' : ''} points="${line}"/>${dots}`
      );
    })
    .join('');
  const xTicks = p.logX
    ? Array.from({ length: Math.round(xMax) + 1 }, (_, i) => `<text x="${sx(i).toFixed(1)}" y="${y0 + h + 11}" text-anchor="middle" font-size="9">${2 ** i}</text>`).join('')
    : `<text x="${x0}" y="${y0 + h + 11}" font-size="9">${Math.round(xMin)}</text><text x="${x0 + w}" y="${y0 + h + 11}" text-anchor="end" font-size="9">${Math.round(xMax)}</text>`;
  return (
    `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#ccc"/>` +
    `<text x="${x0}" y="${y0 - 5}" font-size="11">${escapeXml(p.title)}</text>` +
    `<text x="${x0 - 3}" y="${y0 + 8}" text-anchor="end" font-size="9">${yMax.toFixed(2)}</text>` +
    `<text x="${x0 - 3}" y="${y0 + h}" text-anchor="end" font-size="9">${yMin.toFixed(2)}</text>` +
    xTicks +
    `<text x="${x0 + w / 2}" y="${y0 + h + 22}" text-anchor="middle" font-size="9" fill="#666">${escapeXml(p.xLabel)}</text>` +
    body
  );
}

/** The card's figure, or null while one of its figure arms has no recorded seed. */
export function cardFigureSeeds(card: GalleryCardV2, replicasOf: (arm: string) => ComparableReplica[]): string | null {
  const arms = card.arms.map((id, i) => ({ id, replicas: replicasOf(id), colour: ARM_COLOURS[i % ARM_COLOURS.length] }));
  if (arms.some((a) => a.replicas.length === 0)) return null;
  const W = 200;
  const H = 115;
  const gap = 54;
  const left = 40;
  const top = 22;
  const panels = card.panels.map((p) => panelSeries(p, arms));
  const body = panels.map((p, i) => drawPanel(p, left + i * (W + gap), top, W, H)).join('');
  const legendItems = [...arms.map((a) => ({ label: armLabel(a.id), colour: a.colour, dashed: false })), ...(card.panels.some((p) => p.kind === 'passk') ? [{ label: 'base (before RL)', colour: BASE_COLOUR, dashed: true }] : [])];
  const perRow = 3;
  const legendTop = top + H + 40;
  const legend = legendItems
    .map((l, i) => {
      const x = left + (i % perRow) * 250;
      const y = legendTop + Math.floor(i / perRow) * 15;
      return `<line x1="${x}" y1="${y - 4}" x2="${x + 18}" y2="${y - 4}" stroke="${l.colour}" stroke-width="2"${l.dashed ? ' stroke-dasharray="4 3"' : ''}/><text x="${x + 22}" y="${y}" font-size="10">${escapeXml(l.label)}</text>`;
    })
    .join('');
  const seeds = Math.min(...arms.map((a) => a.replicas.length));
  const captionY = legendTop + Math.ceil(legendItems.length / perRow) * 15 + 4;
  const caption =
    `<text x="${left}" y="${captionY}" font-size="9" fill="#666">${escapeXml(`Lines: mean over ${seeds} seeds; bands: the seeds' min–max (per-step metrics smoothed per seed first).`)}</text>` +
    `<text x="${left}" y="${captionY + 12}" font-size="9" fill="#666">${escapeXml(card.setting)}</text>`;
  const width = Math.max(left + card.panels.length * (W + gap) - gap + 12, 720);
  const height = captionY + 20;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif">` +
    `<title>${escapeXml(`${card.title} (recorded: ${seeds} seeds per arm; lines are means over seeds, bands their min–max)`)}</title><rect width="100%" height="100%" fill="white"/>${body}${legend}${caption}</svg>\n`
  );
}
