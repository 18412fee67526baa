// The WASM SIMD kernels of the CPU backend: one instance of each assembled module (matmul.wat,
// gelu.wat) and the host side that moves TypedArrays in and out of their memories. The JavaScript kernels stay the
// reference and the fallback: loadWasmKernels() returns null where WebAssembly or its SIMD proposal
// is missing, and CpuBackend then keeps the JavaScript path.
import type { MatmulParams } from '../../../backend';
import { GELU_WASM_BASE64 } from './geluWasm';
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

interface GeluExports {
  memory: WebAssembly.Memory;
  gelu(x: number, out: number, n: number): void;
  geluGrad(x: number, dy: number, out: number, n: number): void;
}

const PAGE = 65536;
/** Regions in the module's memory start on 16-byte boundaries (v128 loads and stores are aligned then). */
const align16 = (bytes: number) => (bytes + 15) & ~15;

export function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Elements of a batched operand the product reads: the last matrix ends at (batch-1)*stride + rows*cols. */
function extent(batch: number, stride: number, size: number): number {
  return batch > 0 ? (batch - 1) * stride + size : 0;
}

/** A module's memory seen as f32, grown on demand (growing detaches the old buffer: the view is remade). */
class Heap {
  private view: Float32Array;

  constructor(private readonly memory: WebAssembly.Memory) {
    this.view = new Float32Array(memory.buffer);
  }

  reserve(bytes: number): Float32Array {
    if (bytes > 2 ** 31) throw new Error(`WASM kernels: ${bytes} bytes of operands exceed their 2 GiB`);
    const memory = this.memory;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    if (this.view.buffer !== memory.buffer) this.view = new Float32Array(memory.buffer);
    return this.view;
  }
}

export class WasmKernels {
  private readonly matmulHeap: Heap;
  private readonly geluHeap: Heap;

  constructor(
    private readonly mm: MatmulExports,
    private readonly ge: GeluExports,
  ) {
    this.matmulHeap = new Heap(mm.memory);
    this.geluHeap = new Heap(ge.memory);
  }

  /** GELU (tanh approximation) of every element. */
  gelu(x: Float32Array): Float32Array {
    const n = x.length;
    const padded = (n + 3) & ~3;
    const outOff = padded * 4;
    const heap = this.geluHeap.reserve(outOff + padded * 4);
    heap.set(x, 0);
    this.ge.gelu(0, outOff, padded);
    return heap.slice(outOff >> 2, (outOff >> 2) + n);
  }

  /** dy · gelu'(x), elementwise (x and dy of one size, checked by the caller). */
  geluGrad(x: Float32Array, dy: Float32Array): Float32Array {
    const n = x.length;
    const bytes = ((n + 3) & ~3) * 4;
    const heap = this.geluHeap.reserve(3 * bytes);
    heap.set(x, 0);
    heap.set(dy, bytes >> 2);
    this.ge.geluGrad(0, bytes, 2 * bytes, bytes >> 2);
    return heap.slice((2 * bytes) >> 2, ((2 * bytes) >> 2) + n);
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
    const heap = this.matmulHeap.reserve(scratchOff + k * nPad * 4 + 128);
    heap.set(a.length === aLen ? a : a.subarray(0, aLen), aOff >> 2);
    heap.set(b.length === bLen ? b : b.subarray(0, bLen), bOff >> 2);
    // A(i, kk) at i*aRow + kk*aCol and B(kk, j) at kk*bRow + j*bCol, for either stored layout.
    this.mm.matmul(
      aOff, aBatchStride, transA ? 1 : k, transA ? m : 1,
      bOff, bBatchStride, transB ? 1 : n, transB ? k : 1,
      outOff, batch, m, n, k, 0, m, scratchOff,
    );
    return heap.slice(outOff >> 2, (outOff >> 2) + outSize);
  }
}

/** The kernels from a module's bytes; null where they cannot be compiled (no WebAssembly, or an
 *  engine without the SIMD proposal rejects the module), so the caller falls back to JavaScript. */
export function instantiateWasmKernels(matmulBytes: Uint8Array, geluBytes: Uint8Array = decodeBase64(GELU_WASM_BASE64)): WasmKernels | null {
  try {
    // Synchronous compiles: each module is under 2 kB, below the 4 kB browsers allow on the main thread.
    const instance = (bytes: Uint8Array) => new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), {}).exports;
    return new WasmKernels(instance(matmulBytes) as unknown as MatmulExports, instance(geluBytes) as unknown as GeluExports);
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
