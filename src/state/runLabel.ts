// A run's default label: what its config changes, in the names students read in papers
// ("λ+=0", "lr=3e-3, KL β=0.05"), so overlaid runs can be told apart without opening their configs.
// The diff is taken against the run's preset (or the defaults when it has none): a preset already
// names what it changes, so its id leads the label and only the user's own edits follow.
import { diff, isPlainObject } from '../experiment/layer';
import { getPreset, presetConfig } from '../experiment/presets';
import { defaultExperiment, type ExperimentConfig } from '../experiment/schema';

/** Short names for config paths; a path not listed is shown by its last segment. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  'algorithm.positiveWeight': 'λ+',
  'algorithm.negativeWeight': 'λ−',
  'algorithm.lr': 'lr',
  'algorithm.klCoef': 'KL β',
  'algorithm.klEstimator': 'KL est',
  'algorithm.klInReward': 'KL in reward',
  'algorithm.clipLow': 'ε_low',
  'algorithm.clipHigh': 'ε_high',
  'algorithm.dualClip': 'dual clip',
  'algorithm.entropyCoef': 'c_H',
  'algorithm.ppoEpochs': 'PPO epochs',
  'algorithm.samplesPerPrompt': 'G',
  'algorithm.promptsPerStep': 'prompts',
  'algorithm.temperature': 'T',
  'algorithm.topK': 'top-k',
  'algorithm.topP': 'top-p',
  'algorithm.estimator': 'adv',
  'algorithm.rewardScale': 'scale',
  'algorithm.aggregation': 'agg',
  'algorithm.maxNewTokens': 'max tokens',
  'algorithm.dynamicSampling': 'dyn. sampling',
  'algorithm.dynamicSamplingMaxTries': 'dyn. tries',
  'algorithm.refResetEvery': 'ref reset',
  'algorithm.lrSchedule': 'lr sched',
  'algorithm.warmupSteps': 'warmup',
  'algorithm.beta1': 'β1',
  'algorithm.beta2': 'β2',
  'algorithm.weightDecay': 'wd',
  'algorithm.maxGradNorm': 'clip norm',
  'task.id': 'task',
  'task.arms': 'arms',
  'model.init': 'init',
  'model.sftSteps': 'SFT steps',
  'model.sftLr': 'SFT lr',
  'model.sftBatch': 'SFT batch',
  'run.steps': 'steps',
  'run.evalEvery': 'eval every',
  'run.evalPrompts': 'eval prompts',
  'run.evalSamples': 'eval n',
  'curriculum.kind': 'curriculum',
  'curriculum.alpha': 'SEC α',
  'curriculum.tau': 'SEC τ',
  'curriculum.window': 'DUMP window',
  'curriculum.temperature': 'DUMP T',
  'filter.enabled': 'filter',
  'filter.lo': 'band lo',
  'filter.hi': 'band hi',
  'filter.mode': 'band',
  'filter.budget': 'over-sample',
  'filter.maxRounds': 'filter rounds',
  'selfplay.loop': 'self-play',
  'selfplay.iterations': 'iterations',
  'selfplay.evalEvery': 'eval every',
  'selfplay.proposeSolve.extremeReward': 'extreme reward',
  'selfplay.proposeSolve.warmupSteps': 'warm-up',
  'selfplay.spin.beta': 'SPIN β',
  'selfplay.spin.loss': 'SPIN loss',
  'selfplay.spin.lr': 'SPIN lr',
  'selfplay.creatorSolver.bufferSize': 'buffer',
  'selfplay.creatorSolver.freshFraction': 'fresh',
  'selfplay.creatorSolver.evolveFraction': 'evolved',
  'selfplay.selfConsuming.freshFraction': 'fresh',
  'selfplay.selfConsuming.curate': 'curate',
  seed: 'seed',
};

/** Pairs read together: when one differs both are shown, since "λ+=0" alone hides that λ− stays 1. */
const PAIRS: readonly (readonly [string, string])[] = [
  ['algorithm.negativeWeight', 'algorithm.positiveWeight'],
  ['algorithm.clipLow', 'algorithm.clipHigh'],
];

/** Paths never shown: they do not change the dynamics (or are shown another way). */
const HIDDEN = new Set(['version', 'preset', 'reward.code']);

/** At most this many changes are spelled out; the rest are counted. */
export const MAX_LABEL_PARTS = 4;

/** 0.003 → "3e-3", 0.05 → "0.05", 300 → "300", 1.23456 → "1.23". */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
    const abs = Math.abs(v);
    if (abs !== 0 && (abs < 1e-2 || abs >= 1e4)) {
      const [mantissa, exponent] = v.toExponential(2).split('e');
      return `${Number(mantissa)}e${Number(exponent)}`;
    }
    return String(Number(v.toPrecision(3)));
  }
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (v === null) return 'off';
  if (Array.isArray(v)) return v.length === 0 ? 'default' : v.map(formatValue).join('+');
  return String(v);
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, value);
  }
}

function readPath(config: unknown, path: string): unknown {
  let v: unknown = config;
  for (const key of path.split('.')) v = isPlainObject(v) ? v[key] : undefined;
  return v;
}

/** The name a student reads for a config path ("algorithm.lr" → "lr", "algorithm.negativeWeight" → "λ−"). */
export function shortName(path: string): string {
  return SHORT_NAMES[path] ?? path.slice(path.lastIndexOf('.') + 1);
}

/** The base a config is compared with: its preset's full config, or the defaults. */
function baseOf(config: ExperimentConfig): ExperimentConfig {
  return config.preset && getPreset(config.preset) ? presetConfig(config.preset) : defaultExperiment();
}

/** The config's changes against `base` (default: its preset, or the defaults) as "name=value" parts,
 *  in config order. */
export function configChanges(config: ExperimentConfig, base: ExperimentConfig = baseOf(config)): string[] {
  const changed = new Map<string, unknown>();
  const changes = diff(config, base);
  if (changes !== undefined) flatten(changes, '', changed);
  return changeParts(config, changed);
}

/** What sets each of several configs apart (a card's arms): for each, its values at every path where any
 *  two of them differ — "λ−=1, λ+=0" / "λ−=0, λ+=1" / "λ−=1, λ+=1" — so overlaid runs read by their
 *  difference alone. */
export function configDifferences(configs: readonly ExperimentConfig[]): string[][] {
  const varying = new Set<string>();
  for (const c of configs.slice(1)) {
    const changes = diff(c, configs[0]);
    const paths = new Map<string, unknown>();
    if (changes !== undefined) flatten(changes, '', paths);
    // A path only the first config has (diff leaves it out) is caught by comparing the other way.
    const back = diff(configs[0], c);
    if (back !== undefined) flatten(back, '', paths);
    for (const p of paths.keys()) varying.add(p);
  }
  return configs.map((c) => changeParts(c, new Map([...varying].map((p) => [p, readPath(c, p)]))));
}

/** "name=value" parts of the changed paths (their values in `config`), pairs shown together. */
function changeParts(config: ExperimentConfig, changed: Map<string, unknown>): string[] {
  for (const path of HIDDEN) changed.delete(path);
  for (const [a, b] of PAIRS) {
    if (changed.has(a) || changed.has(b)) {
      changed.set(a, readPath(config, a));
      changed.set(b, readPath(config, b));
    }
  }
  const parts: string[] = [];
  // Pairs are emitted together at the first member's position, so "λ−=1, λ+=0" reads as one change.
  const emitted = new Set<string>();
  for (const path of changed.keys()) {
    if (emitted.has(path)) continue;
    const pair = PAIRS.find((p) => p.includes(path));
    for (const p of pair ?? [path]) {
      emitted.add(p);
      if (p === 'reward.kind') parts.push(changed.get(p) === 'code' ? 'custom reward' : 'verifier reward');
      else parts.push(`${shortName(p)}=${formatValue(changed.get(p))}`);
    }
  }
  return parts;
}

/** The default label of a run: "<preset> · <changes>", "<changes>", "<preset>" or "defaults". */
export function runLabel(config: ExperimentConfig): string {
  const parts = configChanges(config);
  const shown = parts.slice(0, MAX_LABEL_PARTS).join(', ') + (parts.length > MAX_LABEL_PARTS ? ` +${parts.length - MAX_LABEL_PARTS} more` : '');
  const preset = config.preset && config.preset !== 'default' && getPreset(config.preset) ? config.preset : '';
  if (preset && shown) return `${preset} · ${shown}`;
  return preset || shown || 'defaults';
}
