// npm run compare -- <runA/metrics.json> <runB/metrics.json> --metric <name> --window last:10|final|auc
// Is the difference between two runs real? Pairs the runs' replicas by seed, reduces the metric to one
// number per seed over the window (fixed before looking: STATISTICS.md), and prints the per-seed values,
// the mean paired difference A − B with its 95 % t-interval and percentile bootstrap interval (10,000
// resamples, fixed seed), and whether the t-interval excludes zero. The computation and its words are
// src/experiment/runComparison.ts, the same the lab's comparison view shows. Metric names: see there.
import { readFileSync } from 'node:fs';
import { compareRuns, type RunComparison } from '../src/experiment/runComparison';
import { parseWindow, replicasOf } from './runMetrics';

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
  let comparison: RunComparison;
  try {
    comparison = compareRuns(replicasOf(readRecord(fileA), fileA), replicasOf(readRecord(fileB), fileB), metric, window, { a: fileA, b: fileB });
  } catch (e) {
    fail((e as Error).message);
  }
  const { result, pairs, onlyInA, onlyInB } = comparison;
  const f = (v: number): string => v.toFixed(4);
  console.log(`A: ${fileA}\nB: ${fileB}\nmetric ${metric}, window ${windowText}, paired by seed (n = ${result.seeds.length})`);
  console.log('seed        A          B      A − B');
  for (const p of pairs) console.log(`${String(p.seed).padEnd(6)} ${f(p.a).padStart(9)} ${f(p.b).padStart(10)} ${f(p.difference).padStart(10)}`);
  if (onlyInA.length > 0) console.log(`left out (only in A): seeds ${onlyInA.join(', ')}`);
  if (onlyInB.length > 0) console.log(`left out (only in B): seeds ${onlyInB.join(', ')}`);
  console.log(`mean difference A − B: ${f(result.t.mean)}`);
  const { t, bootstrap } = result;
  if (t.low === null || t.high === null) {
    console.log(`95 % t-interval: undefined (${t.undefinedBecause})`);
    console.log(`bootstrap interval: undefined (${bootstrap.undefinedBecause})`);
  } else {
    console.log(`95 % t-interval: [${f(t.low)}, ${f(t.high)}] (± ${f(t.halfWidth!)})`);
    console.log(`95 % bootstrap interval (percentile, ${bootstrap.resamples} resamples, seed ${bootstrap.seed}): [${f(bootstrap.low!)}, ${f(bootstrap.high!)}]`);
  }
  console.log(`verdict: ${result.verdict} — ${comparison.words}`);
  if (comparison.leftOut) console.log(comparison.leftOut);
  if (result.seeds.length > 1 && result.seeds.length <= 5) console.log('(with n ≤ 5 the bootstrap is coarse; the verdict follows the t-interval)');
}

main();
