// Elementwise primitives. shaders/elementwise.wgsl holds the same-length maps (one entry point per
// arity, the op picked by its `OP` override); shaders/binary.wgsl the broadcasting binary ops. Both
// give each thread 4 consecutive elements where they can (much faster on software adapters).
// The numerics (stable tanh / gelu / sigmoid, accurate log near 1) are explained in the WGSL.
import type { BinaryOp, Storage, UnaryGradOp, UnaryOp } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import { checkShape, checkViewBounds, checkWholeQuads, coalesce, shapeSize, strideBits } from './layout';
import fillWgsl from '../../../../../shaders/fill.wgsl?raw';
import elementwiseWgsl from '../../../../../shaders/elementwise.wgsl?raw';
import binaryWgsl from '../../../../../shaders/binary.wgsl?raw';

const fillKernel: KernelSpec = { name: 'fill', code: fillWgsl };
const WG = 256;

/** `OP` codes of shaders/elementwise.wgsl (the unary entry point; unaryGrad shares the numbering). */
const UNARY_OPS: Record<UnaryOp | 'affine' | 'clamp', number> = {
  neg: 0,
  exp: 1,
  log: 2,
  tanh: 3,
  gelu: 4,
  sqrt: 5,
  square: 6,
  relu: 7,
  abs: 8,
  sigmoid: 9,
  affine: 10,
  clamp: 11,
};
const BINARY_OPS: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3, max: 4, min: 5 };

type MapEntry = 'unary' | 'clampGrad' | 'unaryGrad' | 'where_select';

function mapKernel(entryPoint: MapEntry, name: string, op = 0): KernelSpec {
  return { name, code: elementwiseWgsl, entryPoint, constants: { WG, OP: op } };
}

/** The buffer of an f32 storage, checking its length when `size` is given. */
function f32Input(ctx: GpuKernelContext, what: string, s: Storage, size?: number): GPUBuffer {
  if (s.dtype !== 'f32') throw new Error(`${what}: expected an f32 storage, got ${s.dtype}`);
  if (size !== undefined && s.size !== size) throw new Error(`${what}: sizes differ (${size} vs ${s.size})`);
  return ctx.buffer(s);
}

/**
 * out = kernel(inputs..., params); all inputs have x's length. One thread per 4 elements (a vec4, see
 * the shader), so a ragged last quad is read whole: checkWholeQuads.
 */
function map(ctx: GpuKernelContext, kernel: KernelSpec, inputs: Storage[], p0 = 0, p1 = 0): GpuStorage {
  const count = inputs[0].size;
  const buffers = inputs.map((s, i) => f32Input(ctx, `${kernel.name} input ${i}`, s, count));
  const out = ctx.alloc(count, 'f32');
  if (count > 0) {
    const storages = [out.buffer, ...buffers];
    checkWholeQuads(kernel.name, storages);
    ctx.launch({
      kernel,
      storages,
      uniforms: new Uniforms().u32(count).f32(p0).f32(p1),
      workgroups: grid1D(Math.ceil(count / 4), WG),
    });
  }
  return out;
}

export function unary(ctx: GpuKernelContext, op: UnaryOp, x: Storage): GpuStorage {
  const code = UNARY_OPS[op];
  if (code === undefined) throw new Error(`unary: unknown op ${String(op)}`);
  return map(ctx, mapKernel('unary', op, code), [x]);
}

export function unaryGrad(ctx: GpuKernelContext, op: UnaryGradOp, x: Storage, y: Storage, dy: Storage): GpuStorage {
  const code = UNARY_OPS[op];
  if (code === undefined || (op as string) === 'neg' || (op as string) === 'square') throw new Error(`unaryGrad: unknown op ${String(op)}`);
  return map(ctx, mapKernel('unaryGrad', `${op}Grad`, code), [x, y, dy]);
}

export function affine(ctx: GpuKernelContext, x: Storage, scale: number, shift: number): GpuStorage {
  return map(ctx, mapKernel('unary', 'affine', UNARY_OPS.affine), [x], scale, shift);
}

export function clamp(ctx: GpuKernelContext, x: Storage, lo: number, hi: number): GpuStorage {
  return map(ctx, mapKernel('unary', 'clamp', UNARY_OPS.clamp), [x], lo, hi);
}

export function clampGrad(ctx: GpuKernelContext, x: Storage, dy: Storage, lo: number, hi: number): GpuStorage {
  return map(ctx, mapKernel('clampGrad', 'clampGrad'), [x, dy], lo, hi);
}

export function where(ctx: GpuKernelContext, cond: Storage, a: Storage, b: Storage): GpuStorage {
  return map(ctx, mapKernel('where_select', 'where'), [cond, a, b]);
}

export interface BinaryQuadPlan {
  modes: number[];
  inner: number[];
  strides: number[][];
}

/**
 * How binary.wgsl's main4 (one thread per 4 consecutive outputs) runs these strides, or null when the
 * innermost axis does not split into quads. Per operand, the shader's read mode: 0 VEC (innermost
 * stride 1, every other stride a multiple of 4: whole aligned vec4s), 1 SPLAT (innermost stride 0),
 * 2 GATHER (anything else), and its innermost element stride; `strides` have the innermost stride as
 * the step per quad.
 */
export function binaryQuadPlan(shape: number[], stridesList: number[][]): BinaryQuadPlan | null {
  const r = shape.length - 1;
  if (shape[r] % 4 !== 0) return null;
  const mode = (s: number[]) => (s[r] === 1 && s.every((v, k) => k === r || v % 4 === 0) ? 0 : s[r] === 0 ? 1 : 2);
  return {
    modes: stridesList.map(mode),
    inner: stridesList.map((s) => s[r]),
    strides: stridesList.map((s) => [...s.slice(0, r), s[r] * 4]),
  };
}

export function binary(
  ctx: GpuKernelContext,
  op: BinaryOp,
  a: Storage,
  aStrides: number[],
  b: Storage,
  bStrides: number[],
  outShape: number[],
): GpuStorage {
  const code = BINARY_OPS[op];
  if (code === undefined) throw new Error(`binary: unknown op ${String(op)}`);
  checkShape('binary', outShape, [aStrides, bStrides]);
  checkViewBounds('binary (a)', a.size, 0, aStrides, outShape);
  checkViewBounds('binary (b)', b.size, 0, bStrides, outShape);
  const count = shapeSize(outShape);
  const ab = f32Input(ctx, 'binary (a)', a);
  const bb = f32Input(ctx, 'binary (b)', b);
  const out = ctx.alloc(count, 'f32');
  if (count > 0) {
    const c = coalesce(outShape, [aStrides, bStrides]);
    const plan = binaryQuadPlan(c.shape, c.strides);
    const r = c.shape.length - 1;
    const shape = plan ? [...c.shape.slice(0, r), c.shape[r] / 4] : c.shape;
    const strides = plan?.strides ?? c.strides;
    const threads = shapeSize(shape);
    if (plan) checkWholeQuads(op, [out.buffer, ab, bb]);
    ctx.launch({
      kernel: {
        name: op,
        code: binaryWgsl,
        entryPoint: plan ? 'main4' : 'main',
        constants: { WG, OP: code, RANK: shape.length, ...(plan ? { A_MODE: plan.modes[0], B_MODE: plan.modes[1] } : {}) },
      },
      storages: [out.buffer, ab, bb],
      uniforms: new Uniforms() // axes innermost first, as the shader reads them
        .u32Vec4Array([...shape].reverse(), 2)
        .u32Vec4Array(strideBits([...strides[0]].reverse()), 2)
        .u32Vec4Array(strideBits([...strides[1]].reverse()), 2)
        .u32(threads)
        .i32(plan?.inner[0] ?? 0)
        .i32(plan?.inner[1] ?? 0),
      workgroups: grid1D(threads, WG),
    });
  }
  return out;
}

/** Fills with a value; bit pattern of an i32 when dtype is i32. */
export function fill(ctx: GpuKernelContext, size: number, value: number, dtype: 'f32' | 'i32'): GpuStorage {
  const out = ctx.alloc(size, dtype);
  const bits = new DataView(new ArrayBuffer(4));
  if (dtype === 'i32') bits.setInt32(0, value, true);
  else bits.setFloat32(0, value, true);
  if (size > 0) {
    ctx.launch({
      kernel: fillKernel,
      storages: [out.buffer],
      uniforms: new Uniforms().u32(size).u32(bits.getUint32(0, true)),
      workgroups: grid1D(size, 256),
    });
  }
  return out;
}
