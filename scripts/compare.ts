// npm run compare -- <runA/metrics.json> <runB/metrics.json> --metric <name> --window last:10|final|auc
// Is the difference between two runs real? Pairs the runs' replicas by seed, reduces the metric to one
// number per seed over the window (fixed before looking: STATISTICS.md), and prints the per-seed values,
// the mean paired difference A − B with its 95 % t-interval and percentile bootstrap interval (10,000
// resamples, fixed seed), and whether the t-interval excludes zero. Metric names: see scripts/runMetrics.ts.
import { readFileSync } from 'node:fs';
import { DEFAULT_BOOTSTRAP_RESAMPLES, DEFAULT_BOOTSTRAP_SEED, pairedDifference } from '../src/stats';
import { parseWindow, replicasOf, valuesBySeed } from './runMetrics';

const USAGE = 'usage: npm run compare -- <runA/metrics.json> <runB/metrics.json> --metric <name> --window last:K|final|auc';

function fail(message: string): never {
  console.error(`compare: ${message}`);
  process.exit(1);
}

function readRecord(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    fail(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(`${path} is not valid JSON (truncated?): ${(e as Error).message}`);
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const options = new Map<string, string>();
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('--')) {
      if (i + 1 >= args.length) fail(`${args[i]} needs a value\n${USAGE}`);
      options.set(args[i].slice(2), args[++i]);
    } else files.push(args[i]);
  }
  for (const key of options.keys()) if (key !== 'metric' && key !== 'window') fail(`unknown option --${key}\n${USAGE}`);
  if (files.length !== 2) fail(`need exactly two run files, got ${files.length}\n${USAGE}`);
  const metric = options.get('metric');
  if (!metric) fail(`--metric is required\n${USAGE}`);
  const windowText = options.get('window') ?? fail(`--window is required\n${USAGE}`);
  let window;
  try {
    window = parseWindow(windowText);
  } catch (e) {
    fail((e as Error).message);
  }
  const [fileA, fileB] = files;
  let result;
  let a: Record<number, number>;
  let b: Record<number, number>;
  let onlyInA: number[];
  let onlyInB: number[];
  try {
    const replicasA = replicasOf(readRecord(fileA), fileA);
    const replicasB = replicasOf(readRecord(fileB), fileB);
    const seedsB = new Set(replicasB.map((r) => r.seed));
    const paired = new Set(replicasA.map((r) => r.seed).filter((s) => seedsB.has(s)));
    onlyInA = replicasA.map((r) => r.seed).filter((s) => !paired.has(s));
    onlyInB = replicasB.map((r) => r.seed).filter((s) => !paired.has(s));
    if (paired.size === 0) throw new Error(`the two runs share no seed (A: ${replicasA.map((r) => r.seed).join(', ')}; B: ${[...seedsB].join(', ')})`);
    a = valuesBySeed(replicasA, metric, window, fileA, paired);
    b = valuesBySeed(replicasB, metric, window, fileB, paired);
    result = pairedDifference(a, b, { resamples: DEFAULT_BOOTSTRAP_RESAMPLES, seed: DEFAULT_BOOTSTRAP_SEED });
  } catch (e) {
    fail((e as Error).message);
  }
  const f = (v: number): string => v.toFixed(4);
  console.log(`A: ${fileA}\nB: ${fileB}\nmetric ${metric}, window ${windowText}, paired by seed (n = ${result.seeds.length})`);
  console.log('seed        A          B      A − B');
  result.seeds.forEach((seed, i) => console.log(`${String(seed).padEnd(6)} ${f(a[seed]).padStart(9)} ${f(b[seed]).padStart(10)} ${f(result.differences[i]).padStart(10)}`));
  if (onlyInA.length > 0) console.log(`left out (only in A): seeds ${onlyInA.join(', ')}`);
  if (onlyInB.length > 0) console.log(`left out (only in B): seeds ${onlyInB.join(', ')}`);
  console.log(`mean difference A − B: ${f(result.t.mean)}`);
  const { t, bootstrap } = result;
  if (t.low === null || t.high === null) {
    console.log(`95 % t-interval: undefined (${t.undefinedBecause})`);
    console.log(`bootstrap interval: undefined (${bootstrap.undefinedBecause})`);
    console.log('verdict: undefined — one paired seed cannot say whether the difference is real; run more seeds.');
    return;
  }
  console.log(`95 % t-interval: [${f(t.low)}, ${f(t.high)}] (± ${f(t.halfWidth!)})`);
  console.log(`95 % bootstrap interval (percentile, ${bootstrap.resamples} resamples, seed ${bootstrap.seed}): [${f(bootstrap.low!)}, ${f(bootstrap.high!)}]`);
  const words =
    result.verdict === 'excludes zero: A > B'
      ? 'the t-interval excludes zero: A > B on this metric and window.'
      : result.verdict === 'excludes zero: A < B'
        ? 'the t-interval excludes zero: A < B on this metric and window.'
        : 'the t-interval includes zero: these seeds do not show a difference.';
  console.log(`verdict: ${result.verdict} — ${words}`);
  if (result.seeds.length <= 5) console.log('(with n ≤ 5 the bootstrap is coarse; the verdict follows the t-interval)');
}

main();
