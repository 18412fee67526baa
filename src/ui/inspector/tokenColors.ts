// Colour scales for the sample inspector's token chips. Chips carry dark text, so every scale stays
// light enough to read on; the diverging advantage scale is centred on grey so A = 0 (a group that was
// all right or all wrong, which teaches nothing) visibly carries no colour.
import { VOCAB, VOCAB_SIZE, isSpecialId } from '../../tasks/tokenizer';

export type InspectorMode = 'advantage' | 'logprob' | 'entropy';

export const INSPECTOR_MODES: readonly { id: InspectorMode; label: string }[] = [
  { id: 'advantage', label: 'advantage' },
  { id: 'logprob', label: 'log-prob' },
  { id: 'entropy', label: 'entropy' },
];

type Rgb = [number, number, number];

const RED: Rgb = [229, 101, 91]; // --bad
const AMBER: Rgb = [229, 168, 75]; // --warn
const GREEN: Rgb = [79, 194, 125]; // --ok
const GREY: Rgb = [142, 152, 168]; // --muted
const LIGHT_BLUE: Rgb = [159, 211, 255];
const ORANGE: Rgb = [255, 170, 90];

function hex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Piecewise-linear through evenly spaced stops, t clamped to [0, 1]. */
function ramp(stops: readonly Rgb[], t: number): string {
  const x = Math.min(Math.max(Number.isFinite(t) ? t : 0, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(x), stops.length - 2);
  return hex(mix(stops[i], stops[i + 1], x - i));
}

export interface ColorScale {
  color(value: number): string;
  /** CSS gradient for the legend bar, and what its ends mean. */
  gradient: string;
  minLabel: string;
  maxLabel: string;
}

const fmt = (v: number) => String(Number(v.toPrecision(2)));

/** Advantage: red (pushed down) – grey (0) – green (pushed up), symmetric around 0 up to ±maxAbs. */
export function advantageScale(maxAbs: number): ColorScale {
  const m = maxAbs > 1e-9 ? maxAbs : 1;
  const stops = [RED, GREY, GREEN];
  return {
    color: (a) => ramp(stops, (a / m + 1) / 2),
    gradient: `linear-gradient(to right, ${stops.map(hex).join(', ')})`,
    minLabel: `A = −${fmt(m)}`,
    maxLabel: `+${fmt(m)}`,
  };
}

/** Log-prob of the sampled token, shown as its probability: red (surprising) – amber – green (certain). */
export function logProbScale(): ColorScale {
  const stops = [RED, AMBER, GREEN];
  return {
    color: (logp) => ramp(stops, Math.exp(logp)),
    gradient: `linear-gradient(to right, ${stops.map(hex).join(', ')})`,
    minLabel: 'p = 0',
    maxLabel: '1',
  };
}

/** Entropy of the next-token distribution: blue (confident, 0) – orange (uniform, ln |V|). */
export function entropyScale(): ColorScale {
  const max = Math.log(VOCAB_SIZE);
  const stops = [LIGHT_BLUE, ORANGE];
  return {
    color: (h) => ramp(stops, h / max),
    gradient: `linear-gradient(to right, ${stops.map(hex).join(', ')})`,
    minLabel: 'H = 0',
    maxLabel: `ln|V| = ${fmt(max)}`,
  };
}

/** What a chip shows for a token id: visible space, special tokens by name, unknown ids as "?id". */
export function tokenText(id: number): { text: string; special: boolean } {
  const token = VOCAB[id];
  if (token === undefined) return { text: `?${id}`, special: true };
  if (isSpecialId(id)) return { text: token.slice(1, -1), special: true };
  return { text: token === ' ' ? '␣' : token, special: false };
}
