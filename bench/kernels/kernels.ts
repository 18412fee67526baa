// Kernel benchmark: our two WebGPU matmul kernels (direct, the default, and tiled) against TF.js's
// WebGPU `tf.matMul`, on the same adapter in the same page. Each timed run is end to end: record +
// submit one matmul, then read the whole output back (our `read`, TF.js's `data()`), so all pay one
// dispatch and one readback of the same size. Shapes: square-ish ones, and the default model's thin
// train-step shapes (1920 tokens × 64 wide, MLP 256; the weight gradient has A transposed, k = 1920).
// Before timing, each shape's outputs are compared (max |ours - tfjs| / max |tfjs| ≤ 1e-4), and on the
// first shape both are also checked against the CPU backend (so two equally wrong answers cannot pass).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { MatmulParams } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/backend/cpu/cpuBackend';
import { WebGpuBackend } from '../../src/engine/backend/webgpu/webgpuBackend';
import { chooseBlocking } from '../../src/engine/backend/webgpu/kernels/matmulDirect';
import { matmulVariant } from '../../src/engine/backend/webgpu/kernels/matmulShape';
import { chooseTiling } from '../../src/engine/backend/webgpu/kernels/matmulTiled';
import { log, median, randomArray, registerSuite, relativeError, timeAlternating, type SuiteResult } from '../harness';

const SHAPES: { m: number; k: number; n: number; transA?: boolean; transB?: boolean }[] = [
  { m: 128, k: 64, n: 256 },
  { m: 2048, k: 128, n: 128 },
  { m: 2048, k: 128, n: 512 },
  { m: 512, k: 512, n: 512 },
  { m: 1920, k: 64, n: 256 }, // MLP up-projection of the train step
  { m: 1920, k: 256, n: 64, transB: true }, // its input gradient
  { m: 64, k: 1920, n: 256, transA: true }, // its weight gradient
];
const AGREEMENT_TOLERANCE = 1e-4;
const WARMUP = 2;
/** Repetitions per contender: enough for a stable median within a few seconds per shape. */
const MIN_REPS = 5;
const MAX_REPS = 21;
const TARGET_MS_PER_CONTENDER = 4000;

async function run(): Promise<SuiteResult> {
  const ours = await WebGpuBackend.create();
  if (!(await tf.setBackend('webgpu'))) throw new Error('TF.js could not start its WebGPU backend.');
  await tf.ready();
  log(`adapter: ${JSON.stringify(ours.adapterInfo)}; tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`);

  const rows: Record<string, unknown>[] = [];
  for (const [i, { m, k, n, transA = false, transB = false }] of SHAPES.entries()) {
    const name = `${m}×${k}${transA ? 'ᵀ' : ''}·${k}×${n}${transB ? 'ᵀ' : ''}`;
    const flop = 2 * m * n * k;
    const aData = randomArray(m * k, 10 + i);
    const bData = randomArray(k * n, 20 + i);
    const p: MatmulParams = { batch: 1, m, n, k, transA, transB, aBatchStride: m * k, bBatchStride: k * n };

    const a = ours.upload(aData);
    const b = ours.upload(bData);
    const ta = tf.tensor2d(aData, transA ? [k, m] : [m, k]);
    const tb = tf.tensor2d(bData, transB ? [n, k] : [k, n]);

    const oursOnce = async (kernel: 'direct' | 'tiled' = 'direct') => {
      ours.matmulKernel = kernel;
      const out = ours.matmul(a, b, p);
      const data = await ours.read(out);
      ours.free(out);
      return data;
    };
    const tfOnce = async () => {
      const c = tf.matMul(ta, tb, transA, transB);
      const data = await c.data();
      c.dispose();
      return data as Float32Array;
    };

    // Agreement first (this is also the first warm-up run of each, which compiles the pipelines).
    const oursOut = await oursOnce();
    const tfOut = await tfOnce();
    const err = relativeError(oursOut, tfOut);
    if (!(err <= AGREEMENT_TOLERANCE)) throw new Error(`${name}: ours and TF.js disagree (relative error ${err}).`);
    const tiledErr = relativeError(await oursOnce('tiled'), tfOut);
    if (!(tiledErr <= AGREEMENT_TOLERANCE)) throw new Error(`${name}: our tiled kernel and TF.js disagree (relative error ${tiledErr}).`);
    let cpuErrors: { ours: number; tfjs: number } | null = null;
    if (i === 0) {
      const cpu = new CpuBackend();
      const expected = await cpu.read(cpu.matmul(cpu.upload(aData), cpu.upload(bData), p));
      cpuErrors = { ours: relativeError(oursOut, expected), tfjs: relativeError(tfOut, expected) };
      log(`${name} vs the CPU backend: ours ${cpuErrors.ours.toExponential(1)}, tfjs ${cpuErrors.tfjs.toExponential(1)}`);
      if (!(cpuErrors.ours <= AGREEMENT_TOLERANCE)) throw new Error(`${name}: ours disagrees with the CPU backend (${cpuErrors.ours}).`);
    }

    const t0 = performance.now();
    await oursOnce();
    await oursOnce('tiled');
    await tfOnce();
    const pairMs = performance.now() - t0;
    let reps = Math.round(Math.min(MAX_REPS, Math.max(MIN_REPS, (3 * TARGET_MS_PER_CONTENDER) / pairMs)));
    if (reps % 2 === 0) reps++; // odd, so the median is one sample

    const samples = await timeAlternating(
      {
        ours: async () => void (await oursOnce()),
        oursTiled: async () => void (await oursOnce('tiled')),
        tfjs: async () => void (await tfOnce()),
      },
      WARMUP - 1,
      reps,
    );
    const oursMs = median(samples.ours);
    const tiledMs = median(samples.oursTiled);
    const tfMs = median(samples.tfjs);
    const variant = matmulVariant(p);
    const tiling = chooseTiling(p);
    const block = chooseBlocking(p, variant);
    const row = {
      shape: name,
      m,
      k,
      n,
      gflop: flop / 1e9,
      reps,
      oursMedianMs: oursMs,
      oursTiledMedianMs: tiledMs,
      tfjsMedianMs: tfMs,
      oursGflops: flop / 1e6 / oursMs,
      oursTiledGflops: flop / 1e6 / tiledMs,
      tfjsGflops: flop / 1e6 / tfMs,
      /** time ratio: < 1 means ours is faster. */
      timeRatioOursOverTfjs: oursMs / tfMs,
      /** throughput ratio: > 1 means ours is faster. */
      speedupOursOverTfjs: tfMs / oursMs,
      agreementRelError: err,
      cpuRelError: cpuErrors,
      /** time ratio of the direct kernel (the default) over the tiled one. */
      timeRatioDirectOverTiled: oursMs / tiledMs,
      oursVariant: `direct: ${block.rm}×${4 * block.cv} per thread, ${block.wgx * block.wgy} threads${variant.vec4 ? ', vec4' : ''}`,
      oursTiledVariant: `tiled: ${tiling.rm * tiling.wgy}×${4 * tiling.wgx} tiles, ${tiling.wgx * tiling.wgy} threads, TK ${tiling.tk}${variant.vec4 ? ', vec4' : ''}`,
      samplesMs: samples,
    };
    rows.push(row);
    log(`${name}: ours ${oursMs.toFixed(1)} ms (tiled ${tiledMs.toFixed(1)} ms), tfjs ${tfMs.toFixed(1)} ms, speedup ${(tfMs / oursMs).toFixed(2)}× (rel err ${err.toExponential(1)})`);

    ours.free(a);
    ours.free(b);
    ta.dispose();
    tb.dispose();
  }
  ours.destroy();

  const f = (x: unknown, d: number) => (x as number).toFixed(d);
  return {
    suite: 'kernels',
    date: new Date().toISOString(),
    environment: {
      adapter: ours.adapterInfo,
      userAgent: navigator.userAgent,
      tfjs: tf.version.tfjs,
      method:
        'median of odd repetitions after warm-up, contenders alternated per repetition; "ours" is the direct ' +
        'kernel (the default), "ours tiled" the workgroup-memory one; each run = one matmul ' +
        '(fresh output) + full readback of the output; same adapter, same page',
    },
    shapes: SHAPES,
    results: rows,
    table: {
      columns: ['shape (m×k·k×n)', 'ours ms', 'ours tiled ms', 'tfjs ms', 'ours GFLOP/s', 'tfjs GFLOP/s', 'ours/tfjs time', 'speedup', 'rel err'],
      rows: rows.map((r) => [
        r.shape as string,
        f(r.oursMedianMs, 2),
        f(r.oursTiledMedianMs, 2),
        f(r.tfjsMedianMs, 2),
        f(r.oursGflops, 3),
        f(r.tfjsGflops, 3),
        f(r.timeRatioOursOverTfjs, 3),
        `${f(r.speedupOursOverTfjs, 2)}×`,
        (r.agreementRelError as number).toExponential(1),
      ]),
    },
  };
}

registerSuite('kernels', run);
