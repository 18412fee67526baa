// The WASM SIMD kernels of the CPU backend: one instance of the assembled module (matmul.wat) and the
// host side that moves TypedArrays in and out of its memory. The JavaScript kernels stay the
// reference and the fallback: loadWasmKernels() returns null where WebAssembly or its SIMD proposal
// is missing, and CpuBackend then keeps the JavaScript path.
import type { MatmulParams } from '../../../backend';
import { MATMUL_WASM_BASE64 } from './matmulWasm';

interface MatmulExports {
  memory: WebAssembly.Memory;
  matmul(
    a: number, aBatch: number, aRow: number, aCol: number,
    b: number, bBatch: number, bRow: number, bCol: number,
    out: number, batch: number, m: number, n: number, k: number,
    i0: number, i1: number, scratch: number,
  ): void;
}

const PAGE = 65536;
/** Regions in the module's memory start on 16-byte boundaries (v128 loads and stores are aligned then). */
const align16 = (bytes: number) => (bytes + 15) & ~15;

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Elements of a batched operand the product reads: the last matrix ends at (batch-1)*stride + rows*cols. */
function extent(batch: number, stride: number, size: number): number {
  return batch > 0 ? (batch - 1) * stride + size : 0;
}

export class WasmKernels {
  private heap: Float32Array;

  constructor(private readonly exports: MatmulExports) {
    this.heap = new Float32Array(exports.memory.buffer);
  }

  /** Grows the memory to at least `bytes` (growing detaches the old buffer, so the view is remade). */
  private reserve(bytes: number): Float32Array {
    const memory = this.exports.memory;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    if (this.heap.buffer !== memory.buffer) this.heap = new Float32Array(memory.buffer);
    return this.heap;
  }

  /** The same contract and argument checks as the JavaScript matmul (the caller validated sizes). */
  matmul(a: Float32Array, b: Float32Array, p: MatmulParams): Float32Array {
    const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } = p;
    const outSize = batch * m * n;
    if (outSize === 0) return new Float32Array(0);
    const aLen = extent(batch, aBatchStride, m * k);
    const bLen = extent(batch, bBatchStride, k * n);
    const nPad = (n + 7) & ~7;
    const aOff = 0;
    const bOff = align16(aOff + aLen * 4);
    const outOff = align16(bOff + bLen * 4);
    const scratchOff = align16(outOff + outSize * 4);
    const end = scratchOff + k * nPad * 4 + 128;
    if (end > 2 ** 31) throw new Error(`matmul: ${end} bytes of operands exceed the WASM kernels' 2 GiB`);
    const heap = this.reserve(end);
    heap.set(a.length === aLen ? a : a.subarray(0, aLen), aOff >> 2);
    heap.set(b.length === bLen ? b : b.subarray(0, bLen), bOff >> 2);
    // A(i, kk) at i*aRow + kk*aCol and B(kk, j) at kk*bRow + j*bCol, for either stored layout.
    this.exports.matmul(
      aOff, aBatchStride, transA ? 1 : k, transA ? m : 1,
      bOff, bBatchStride, transB ? 1 : n, transB ? k : 1,
      outOff, batch, m, n, k, 0, m, scratchOff,
    );
    return heap.slice(outOff >> 2, (outOff >> 2) + outSize);
  }
}

/** The kernels from a module's bytes; null where they cannot be compiled (no WebAssembly, or an
 *  engine without the SIMD proposal rejects the module), so the caller falls back to JavaScript. */
export function instantiateWasmKernels(bytes: Uint8Array): WasmKernels | null {
  try {
    // Synchronous compile: the module is ~1.4 kB, under the 4 kB browsers allow on the main thread.
    const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    const instance = new WebAssembly.Instance(module, {});
    return new WasmKernels(instance.exports as unknown as MatmulExports);
  } catch {
    return null;
  }
}

let loaded: WasmKernels | null | undefined;

/** The kernels, compiled once per thread; null where this JavaScript engine cannot run WASM SIMD. */
export function loadWasmKernels(): WasmKernels | null {
  if (loaded === undefined) loaded = instantiateWasmKernels(matmulWasmBytes());
  return loaded;
}

export function matmulWasmBytes(): Uint8Array {
  return decodeBase64(MATMUL_WASM_BASE64);
}
