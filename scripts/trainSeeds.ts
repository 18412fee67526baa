// `npm run train -- … --seeds N`: N replicas of one experiment that differ only in their seed (seed,
// seed + 1, …), run in parallel as child processes of scripts/train.ts — one per CPU core at a time,
// each with its share of the cores for the CPU back end's matmul threads (RLVR_CPU_THREADS, 1 when the
// processes fill the cores, so they do not oversubscribe them; a value set by the caller is kept) —
// then gathered into one record: every replica's own record (the single-seed format) under `replicas`,
// in seed order, and per metric and step the aggregate over seeds (mean, 95 % t-band, min–max:
// src/experiment/seedAggregate.ts, the lab's band code).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { runFileSchema, SEEDS_FORMAT, type SeedsFile } from '../src/experiment/runFile';
import { seedAggregate } from '../src/experiment/seedAggregate';

/** The record written: a run file (src/experiment/runFile.ts), which the lab imports as one group. */
export type SeedsRecord = SeedsFile;

/** The train.ts arguments without --seeds N and --out DIR. */
function replicaArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seeds' || argv[i] === '--out') i++;
    else out.push(argv[i]);
  }
  return out;
}

function runOne(args: string[], threads: string, onLine: (line: string) => void): Promise<number> {
  return new Promise((resolve) => {
    const env = { ...process.env, RLVR_CPU_THREADS: threads };
    const child = spawn('npx', ['vite-node', 'scripts/train.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let buffered = '';
    const take = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      lines.forEach(onLine);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** Runs the replicas (seeds firstSeed … firstSeed + n − 1) and writes <out>/metrics.json. */
export async function trainSeeds(argv: string[], firstSeed: number, n: number, out: string, parallelism = availableParallelism()): Promise<SeedsRecord> {
  const seeds = Array.from({ length: n }, (_, k) => firstSeed + k);
  const base = replicaArgs(argv);
  const started = performance.now();
  const queue = [...seeds];
  const failures: string[] = [];
  const processes = Math.max(1, Math.min(parallelism, n));
  const threads = process.env.RLVR_CPU_THREADS || String(Math.max(1, Math.floor(availableParallelism() / processes)));
  const worker = async () => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
      const dir = join(out, `seed-${seed}`);
      const code = await runOne([...base, '--set', `seed=${seed},seeds=1`, '--out', dir], threads, (line) => console.log(`[seed ${seed}] ${line}`));
      if (code !== 0) failures.push(`seed ${seed} exited with ${code}`);
    }
  };
  await Promise.all(Array.from({ length: processes }, worker));
  if (failures.length > 0) throw new Error(`train --seeds: ${failures.join('; ')}`);
  const replicas = seeds.map((seed) => ({ seed, record: runFileSchema.parse(JSON.parse(readFileSync(join(out, `seed-${seed}`, 'metrics.json'), 'utf8'))) }));
  const record: SeedsRecord = {
    format: SEEDS_FORMAT,
    seeds,
    seconds: (performance.now() - started) / 1000,
    sequentialSeconds: replicas.reduce((a, r) => a + r.record.seconds, 0),
    parallelism: Math.min(parallelism, n),
    replicas,
    aggregate: seedAggregate(replicas.map((r) => ({ seed: r.seed, steps: r.record.steps, evaluations: r.record.evaluations }))),
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'metrics.json'), JSON.stringify(record, null, 2) + '\n');
  return record;
}
