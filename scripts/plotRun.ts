// npm run plot:run -- docs/runs/<name>   → <dir>/curves.svg
// Draws a recorded run's curves (reward smoothed, held-out pass@1 and pass@n, entropy, KL k3) as a
// small self-contained SVG, so a run in docs/ can be read without opening the lab.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Series {
  title: string;
  lines: { label: string; colour: string; points: [number, number][] }[];
}

function ema(values: number[], weight = 0.8): number[] {
  let last = 0;
  return values.map((v, i) => {
    last = last * weight + (1 - weight) * v;
    return last / (1 - weight ** (i + 1)); // debiased, as TensorBoard
  });
}

function panel(s: Series, x0: number, y0: number, w: number, h: number): string {
  const all = s.lines.flatMap((l) => l.points);
  const xMax = Math.max(1, ...all.map((p) => p[0]));
  const yMin = Math.min(0, ...all.map((p) => p[1]));
  const yMax = Math.max(1e-6, ...all.map((p) => p[1]));
  const sx = (x: number) => x0 + (x / xMax) * w;
  const sy = (y: number) => y0 + h - ((y - yMin) / (yMax - yMin)) * h;
  const paths = s.lines
    .map((l) => `<polyline fill="none" stroke="${l.colour}" stroke-width="1.5" points="${l.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`)
    .join('');
  const legend = s.lines.map((l, i) => `<text x="${x0 + w - 4}" y="${y0 + 12 + i * 12}" text-anchor="end" fill="${l.colour}" font-size="10">${l.label}</text>`).join('');
  return (
    `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#ccc"/>` +
    `<text x="${x0}" y="${y0 - 6}" font-size="12">${s.title}</text>` +
    `<text x="${x0 - 4}" y="${y0 + 10}" text-anchor="end" font-size="9">${yMax.toFixed(2)}</text>` +
    `<text x="${x0 - 4}" y="${y0 + h}" text-anchor="end" font-size="9">${yMin.toFixed(2)}</text>` +
    `<text x="${x0 + w}" y="${y0 + h + 12}" text-anchor="end" font-size="9">step ${xMax}</text>` +
    paths +
    legend
  );
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: npm run plot:run -- <run directory with metrics.json>');
const run = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
const steps: { step: number; reward: number; entropy: number; kl: { k3: number } }[] = run.steps;
const evals: { afterSteps: number; arms: { passAtK: Record<string, number> }[] }[] = run.evaluations;
const meanPass = (e: (typeof evals)[number], k: string) => e.arms.reduce((a, r) => a + (r.passAtK[k] ?? 0), 0) / e.arms.length;
const kMax = Object.keys(evals[0]?.arms[0]?.passAtK ?? { 1: 0 }).map(Number).sort((a, b) => b - a)[0];
const rewardRaw = steps.map((s) => s.reward);
const series: Series[] = [
  {
    title: 'reward (batch mean)',
    lines: [
      { label: 'raw', colour: '#bbb', points: steps.map((s, i) => [s.step + 1, rewardRaw[i]]) },
      { label: 'EMA 0.8', colour: '#1f77b4', points: ema(rewardRaw).map((v, i) => [steps[i].step + 1, v]) },
    ],
  },
  {
    title: `held-out pass@k (${run.arms?.join(', ') ?? ''})`,
    lines: [
      { label: 'pass@1', colour: '#d62728', points: evals.map((e) => [e.afterSteps, meanPass(e, '1')]) },
      { label: `pass@${kMax}`, colour: '#2ca02c', points: evals.map((e) => [e.afterSteps, meanPass(e, String(kMax))]) },
    ],
  },
  { title: 'entropy (token mean)', lines: [{ label: 'entropy', colour: '#9467bd', points: steps.map((s) => [s.step + 1, s.entropy]) }] },
  { title: 'KL to reference (k3)', lines: [{ label: 'k3', colour: '#ff7f0e', points: steps.map((s) => [s.step + 1, s.kl.k3]) }] },
];
const W = 340;
const H = 150;
const body = series.map((s, i) => panel(s, 50 + (i % 2) * (W + 70), 30 + Math.floor(i / 2) * (H + 50), W, H)).join('');
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W + 120}" height="${2 * H + 110}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>${body}</svg>\n`;
writeFileSync(join(dir, 'curves.svg'), svg);
console.log(`wrote ${join(dir, 'curves.svg')}`);
