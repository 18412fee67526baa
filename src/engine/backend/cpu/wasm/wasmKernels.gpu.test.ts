// In Chromium (the browser project; no GPU involved despite the file name, which is what puts a test
// there): the CPU backend the page falls back to without WebGPU compiles its WASM SIMD kernels on the
// main thread, agrees with the JavaScript reference, and stays on one thread.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../cpuBackend';
import { unary } from '../elementwise';
import { matmul as jsMatmul } from '../matmul';
import { randomArray } from '../testUtil';
import { nodeThreadHost } from './threadHost';
import { loadWasmKernels } from './wasmKernels';

describe('WASM SIMD kernels in the browser', () => {
  it('compile on the main thread and are what CpuBackend uses', () => {
    expect(loadWasmKernels()).not.toBeNull();
    expect(new CpuBackend().kernels).toBe('wasm');
  });

  it('stay on one thread in the page (no matmul pool there: see cpuOptions.ts), whatever the option asks', async () => {
    expect(nodeThreadHost()).toBeNull();
    const backend = new CpuBackend({ threads: 4 });
    expect(backend.threads).toBe(1);
    const p = { batch: 1, m: 1920, n: 256, k: 64, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 }; // above the pool's threshold
    const a = randomArray(1920 * 64, 1);
    const b = randomArray(64 * 256, 2);
    const got = (await backend.read(backend.matmul(backend.upload(a), backend.upload(b), p))) as Float32Array;
    expect(Array.from(got)).toEqual(Array.from(loadWasmKernels()!.matmul(a, b, p)));
    backend.dispose();
  });

  it('matmul and gelu agree with the JavaScript reference', () => {
    const wasm = loadWasmKernels()!;
    for (const [m, n, k, transA, transB] of [[130, 65, 17, false, true], [3, 64, 130, true, false], [1, 17, 65, false, false]] as const) {
      const p = { batch: 2, m, n, k, transA, transB, aBatchStride: m * k, bBatchStride: 0 };
      const a = randomArray(2 * m * k, m + k);
      const b = randomArray(k * n, n + k);
      const got = wasm.matmul(a, b, p);
      const want = jsMatmul(a, b, p);
      const scale = jsMatmul(a.map(Math.abs), b.map(Math.abs), p);
      want.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThanOrEqual(1e-5 * scale[i]));
    }
    const x = randomArray(1027, 5, -8, 8);
    const y = wasm.gelu(x);
    unary('gelu', x).forEach((v, i) => expect(Math.abs(y[i] - v)).toBeLessThanOrEqual(1e-5 * Math.abs(v) + 1e-12));
  });
});
