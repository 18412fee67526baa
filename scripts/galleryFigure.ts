// A gallery card's small figure: a row of panels (pass@k against k, held-out pass@k against steps, a
// smoothed per-step metric against steps), one colour per arm, as a self-contained SVG.
import { largestK, stepMetric, type FigurePanel, type GalleryCard, type GalleryRun, type GalleryRuns, type StepMetricName } from '../src/experiment/gallery';

export const ARM_COLOURS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e'];
const BEFORE_COLOUR = '#888';

interface Line {
  label: string;
  colour: string;
  dashed?: boolean;
  points: [number, number][];
}

const STEP_TITLES: Record<StepMetricName, string> = {
  reward: 'reward (batch mean)',
  correctness: 'accuracy (batch)',
  entropy: 'entropy (token mean)',
  kl: 'KL to reference (k3)',
  length: 'completion length (tokens)',
  clip: 'clip ratio (region)',
};

/** TensorBoard's debiased EMA. */
export function ema(values: number[], weight = 0.8): number[] {
  let last = 0;
  return values.map((v, i) => {
    last = last * weight + (1 - weight) * v;
    return last / (1 - weight ** (i + 1));
  });
}

const meanPass = (e: GalleryRun['evaluations'][number], k: number) => e.arms.reduce((a, r) => a + (r.passAtK[String(k)] ?? 0), 0) / e.arms.length;

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface PanelData {
  title: string;
  xLabel: string;
  lines: Line[];
  logX?: boolean;
  /** Values are probabilities (pass@k). */
  probability?: boolean;
}

type FigureArm = { preset: string; run: GalleryRun; label: string; colour: string };

function panelLines(panel: FigurePanel, allArms: FigureArm[]): PanelData {
  const data = panelData(panel, panel.only ? allArms.filter((a) => panel.only!.includes(a.preset)) : allArms, allArms[0].run);
  return panel.title ? { ...data, title: panel.title } : data;
}

function panelData(panel: FigurePanel, arms: FigureArm[], before: GalleryRun): PanelData {
  if (panel.kind === 'passk') {
    const first = before;
    const ks = Object.keys(first.evaluations[0].arms[0].passAtK).map(Number).sort((a, b) => a - b);
    const curve = (e: GalleryRun['evaluations'][number]): [number, number][] => ks.map((k) => [Math.log2(k), meanPass(e, k)]);
    return {
      title: 'held-out pass@k vs k',
      xLabel: `k = 1 … ${ks[ks.length - 1]} (log)`,
      logX: true,
      probability: true,
      lines: [
        { label: 'before', colour: BEFORE_COLOUR, dashed: true, points: curve(first.evaluations[0]) },
        ...arms.map((a) => ({ label: a.label, colour: a.colour, points: curve(a.run.evaluations[a.run.evaluations.length - 1]) })),
      ],
    };
  }
  if (panel.kind === 'eval') {
    return {
      title: `held-out pass@${panel.k}`,
      xLabel: 'step',
      probability: true,
      lines: arms.map((a) => ({ label: a.label, colour: a.colour, points: a.run.evaluations.map((e) => [e.afterSteps, meanPass(e, panel.k)] as [number, number]) })),
    };
  }
  return {
    title: STEP_TITLES[panel.metric],
    xLabel: 'step',
    lines: arms.map((a) => {
      const smooth = ema(a.run.steps.map((s) => stepMetric(s, panel.metric)));
      return { label: a.label, colour: a.colour, points: a.run.steps.map((s, i) => [s.step + 1, smooth[i]] as [number, number]) };
    }),
  };
}

function drawPanel(p: PanelData, x0: number, y0: number, w: number, h: number): string {
  const all = p.lines.flatMap((l) => l.points);
  const xMin = p.logX ? 0 : 0;
  const xMax = Math.max(1e-6, ...all.map((q) => q[0]));
  let yMin = Math.min(...all.map((q) => q[1]));
  let yMax = Math.max(...all.map((q) => q[1]));
  const pad = (yMax - yMin) * 0.08 || 0.05;
  yMin -= pad;
  yMax += pad;
  if (p.probability) {
    // pass@k: within [0, 1], and never zoomed in so far that evaluation noise looks like a trend.
    yMax = Math.min(1, yMax);
    yMin = Math.max(0, Math.min(yMin, yMax - 0.2));
  }
  const sx = (x: number) => x0 + ((x - xMin) / (xMax - xMin)) * w;
  const sy = (y: number) => y0 + h - ((y - yMin) / (yMax - yMin)) * h;
  const lines = p.lines
    .map(
      (l) =>
        `<polyline fill="none" stroke="${l.colour}" stroke-width="1.6"${l.dashed ? ' stroke-dasharray="4 3"' : ''} points="${l.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>` +
        (l.points.length <= 6 ? l.points.map(([x, y]) => `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2" fill="${l.colour}"/>`).join('') : ''),
    )
    .join('');
  const xTicks = p.logX
    ? Array.from({ length: Math.round(xMax) + 1 }, (_, i) => `<text x="${sx(i).toFixed(1)}" y="${y0 + h + 11}" text-anchor="middle" font-size="9">${2 ** i}</text>`).join('')
    : `<text x="${x0}" y="${y0 + h + 11}" font-size="9">0</text><text x="${x0 + w}" y="${y0 + h + 11}" text-anchor="end" font-size="9">${Math.round(xMax)}</text>`;
  return (
    `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#ccc"/>` +
    `<text x="${x0}" y="${y0 - 5}" font-size="11">${escapeXml(p.title)}</text>` +
    `<text x="${x0 - 3}" y="${y0 + 8}" text-anchor="end" font-size="9">${yMax.toFixed(2)}</text>` +
    `<text x="${x0 - 3}" y="${y0 + h}" text-anchor="end" font-size="9">${yMin.toFixed(2)}</text>` +
    xTicks +
    `<text x="${x0 + w / 2}" y="${y0 + h + 22}" text-anchor="middle" font-size="9" fill="#666">${escapeXml(p.xLabel)}</text>` +
    lines
  );
}

/** The card's figure, or null when it has no recorded arms. */
export function cardFigure(card: GalleryCard, runs: GalleryRuns): string | null {
  if (card.figure.length === 0 || card.arms.length === 0) return null;
  const arms = card.arms.map((a, i) => ({ preset: a.preset, run: runs[a.preset], label: a.label, colour: ARM_COLOURS[i % ARM_COLOURS.length] }));
  if (arms.some((a) => !a.run)) return null;
  const W = 190;
  const H = 110;
  const gap = 52;
  const left = 38;
  const top = 22;
  const panels = card.figure.map((p, i) => drawPanel(panelLines(p, arms), left + i * (W + gap), top, W, H)).join('');
  const hasBefore = card.figure.some((p) => p.kind === 'passk');
  const legendItems = [...arms.map((a) => ({ label: a.label, colour: a.colour, dashed: false })), ...(hasBefore ? [{ label: 'before training', colour: BEFORE_COLOUR, dashed: true }] : [])];
  const legendY = top + H + 40;
  const legend = legendItems
    .map(
      (l, i) =>
        `<line x1="${left + i * 150}" y1="${legendY - 4}" x2="${left + i * 150 + 18}" y2="${legendY - 4}" stroke="${l.colour}" stroke-width="2"${l.dashed ? ' stroke-dasharray="4 3"' : ''}/>` +
        `<text x="${left + i * 150 + 22}" y="${legendY}" font-size="10">${escapeXml(l.label)}</text>`,
    )
    .join('');
  const width = left + card.figure.length * (W + gap) - gap + 12;
  const height = legendY + 10;
  const k = largestK(arms[0].run);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif">` +
    `<title>${escapeXml(card.title)} (recorded: ${arms[0].run.steps.length} steps, pass@k up to k = ${k})</title>` +
    `<rect width="100%" height="100%" fill="white"/>${panels}${legend}</svg>\n`
  );
}
