// Elementwise maps over flat f32 arrays of the same length.
//
// Entry points by arity (the op within an entry point is the `OP` override, so each (entry, op) pair
// compiles to its own small pipeline with the switch folded away):
//   unary      out = f(x)                      OP: 0 neg 1 exp 2 log 3 tanh 4 gelu 5 sqrt 6 square
//                                                  7 relu 8 abs 9 sigmoid 10 affine (p0*x+p1) 11 clamp [p0,p1]
//   clampGrad  out = p0 <= x <= p1 ? dy : 0
//   unaryGrad  out = dy * f'(x), given x, y = f(x), dy   OP: 1 exp 2 log 3 tanh 4 gelu 5 sqrt 7 relu 8 abs 9 sigmoid
//   where_select out = cond != 0 ? a : b
// Bindings follow the repo convention (storages at 0..n-1, the uniform block last), so the uniform's
// binding depends on the arity: several variables share a binding number, which WGSL allows as long as
// no single entry point uses two of them.
//
// Four elements per thread: every array is bound as array<vec4<f32>> and thread q maps quad q
// (elements 4q..4q+3) with vec4 maths. On software adapters (SwiftShader) the per-invocation cost, not
// the arithmetic, dominates these kernels, so a quarter of the invocations is most of the win. The
// last quad may be ragged (count % 4 != 0): it is still loaded whole (the caller guarantees the
// buffers hold whole quads; the extra lanes compute garbage that is never stored) and stored lane by
// lane. Branchy scalar formulas (tanh, log) evaluate both sides and `select` per lane, which gives
// each lane exactly the value the scalar branch would.
//
// Numerics, chosen so results stay within a few ulp of the f64 CPU oracle on *every* input:
// - tanh is never the built-in: some drivers compute it as (e^2x - 1)/(e^2x + 1), which overflows to
//   NaN for |x| > ~44, and loses all relative accuracy near 0. Here: an odd series near 0, and
//   (1 - e)/(1 + e) with e = exp(-2|x|) <= 1 elsewhere (no overflow possible).
// - gelu = 0.5x(1 + tanh u) is evaluated as x * sigmoid(2u) (the same function: 1 + tanh u = 2 sigmoid(2u)),
//   which avoids the cancellation of 1 + tanh u for negative x.
// - sigmoid only ever exponentiates a non-positive number.
// - log near 1 uses log(x) = 2 atanh((x-1)/(x+1)): the built-in's error bound there is absolute
//   (2^-21), i.e. unbounded relative error as log(x) -> 0.
override WG: u32 = 256;
override OP: u32 = 0;

struct Params {
  count: u32, // elements (not quads)
  p0: f32,
  p1: f32,
}

alias V = vec4<f32>;

@group(0) @binding(0) var<storage, read_write> out: array<V>;
@group(0) @binding(1) var<storage, read> in0: array<V>;
@group(0) @binding(2) var<storage, read> in1: array<V>;
@group(0) @binding(3) var<storage, read> in2: array<V>;
@group(0) @binding(2) var<uniform> params1: Params; // unary:     out, x
@group(0) @binding(3) var<uniform> params2: Params; // clampGrad: out, x, dy
@group(0) @binding(4) var<uniform> params3: Params; // unaryGrad: out, x, y, dy;  where: out, cond, a, b

const GELU_C: f32 = 0.7978845608028654; // sqrt(2 / pi)
const GELU_A: f32 = 0.044715;
const ZERO = V(0.0);
const ONE = V(1.0);

/** e^-|x| / (1 + e^-|x|) for x < 0, 1 / (1 + e^-|x|) otherwise (one division for both cases). */
fn sigmoid(x: V) -> V {
  let e = exp(-abs(x)); // in (0, 1]
  return select(e, ONE, x >= ZERO) / (1.0 + e);
}

fn tanh_stable(x: V) -> V {
  let a = abs(x);
  // |x| < 0.4: Taylor series through x^11; the first omitted term is < 6e-8 relative there.
  let a2 = a * a;
  let series = a * (1.0 + a2 * (-1.0 / 3.0 + a2 * (2.0 / 15.0 + a2 * (-17.0 / 315.0 + a2 * (62.0 / 2835.0 + a2 * (-1382.0 / 155925.0))))));
  let e = exp(-2.0 * a); // in (0, 0.45] where used
  let t = select((1.0 - e) / (1.0 + e), series, a < V(0.4));
  return select(-t, t, x >= ZERO);
}

fn log_accurate(x: V) -> V {
  // |x - 1| < 0.25: x - 1 is exact (Sterbenz); s in (-0.12, 0.12), series through s^9: omitted term < 1e-10 relative.
  let s = (x - 1.0) / (x + 1.0);
  let s2 = s * s;
  let series = 2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0)))));
  return select(log(x), series, abs(x - 1.0) < V(0.25));
}

/** 2u, the argument for which gelu(x) = x * sigmoid(2u). Overflows to +-inf harmlessly for huge |x|. */
fn gelu_arg(x: V) -> V {
  return 2.0 * GELU_C * (x + GELU_A * x * x * x);
}

fn gelu(x: V) -> V {
  return x * sigmoid(gelu_arg(x));
}

/** d/dx [x * s(2u)] = s + 2x s (1 - s) C (1 + 3A x^2), with 1 - s = sigmoid(-2u) computed without cancellation. */
fn gelu_grad(x: V) -> V {
  let v = gelu_arg(x);
  // s = sigmoid(v) and r = sigmoid(-v) share e^-|v|: the same values as two sigmoid() calls, one exp.
  let e = exp(-abs(v));
  let pos = v >= ZERO;
  let s = select(e, ONE, pos) / (1.0 + e);
  let r = select(ONE, e, pos) / (1.0 + e);
  return s + 2.0 * x * s * r * GELU_C * (1.0 + 3.0 * GELU_A * x * x);
}

fn apply_unary(x: V, p0: f32, p1: f32) -> V {
  switch (OP) {
    case 0u: { return -x; }
    case 1u: { return exp(x); }
    case 2u: { return log_accurate(x); }
    case 3u: { return tanh_stable(x); }
    case 4u: { return gelu(x); }
    case 5u: { return sqrt(x); }
    case 6u: { return x * x; }
    case 7u: { return select(ZERO, x, x > ZERO); } // NaN -> 0, as the CPU oracle
    case 8u: { return abs(x); }
    case 9u: { return sigmoid(x); }
    case 10u: { return x * p0 + p1; }
    default: { return select(select(x, V(p1), x > V(p1)), V(p0), x < V(p0)); } // clamp; NaN stays NaN
  }
}

/** dy * f'(x); y = f(x) where the derivative is cheaper (and matches the oracle) from the output. */
fn apply_grad(x: V, y: V, dy: V) -> V {
  switch (OP) {
    case 1u: { return dy * y; }
    case 2u: { return dy / x; }
    case 3u: { return dy * ((1.0 - y) * (1.0 + y)); } // 1 - y^2 without cancellation near |y| = 1
    case 4u: { return dy * gelu_grad(x); }
    case 5u: { return 0.5 * dy / y; }
    case 7u: { return select(ZERO, dy, x > ZERO); }
    case 8u: { return select(select(ZERO, -dy, x < ZERO), dy, x > ZERO); } // subgradient 0 at x = 0
    default: { return dy * y * (1.0 - y); } // sigmoid
  }
}

/**
 * Stores quad q; in the ragged last quad only the lanes below `count` (lane stores into a vec4 are
 * race-free here even where they rewrite the whole vec4: no other thread touches quad q).
 */
fn store(q: u32, v: V, count: u32) {
  let base = 4u * q;
  if (base + 4u <= count) {
    out[q] = v;
  } else {
    for (var j = 0u; base + j < count; j++) { out[q][j] = v[j]; }
  }
}

fn quad_index(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * WG + lid;
}

@compute @workgroup_size(WG)
fn unary(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
         @builtin(local_invocation_index) lid: u32) {
  let q = quad_index(wid, nwg, lid);
  if (4u * q >= params1.count) { return; }
  store(q, apply_unary(in0[q], params1.p0, params1.p1), params1.count);
}

@compute @workgroup_size(WG)
fn clampGrad(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) lid: u32) {
  let q = quad_index(wid, nwg, lid);
  if (4u * q >= params2.count) { return; }
  let x = in0[q];
  store(q, select(ZERO, in1[q], (x >= V(params2.p0)) & (x <= V(params2.p1))), params2.count);
}

@compute @workgroup_size(WG)
fn unaryGrad(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) lid: u32) {
  let q = quad_index(wid, nwg, lid);
  if (4u * q >= params3.count) { return; }
  store(q, apply_grad(in0[q], in1[q], in2[q]), params3.count);
}

@compute @workgroup_size(WG)
fn where_select(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
         @builtin(local_invocation_index) lid: u32) {
  let q = quad_index(wid, nwg, lid);
  if (4u * q >= params3.count) { return; }
  // Compared as bits so a NaN condition picks a (NaN != 0 in the oracle) even where drivers fold NaN
  // comparisons; +0 and -0 both pick b.
  store(q, select(in2[q], in1[q], (bitcast<vec4<u32>>(in0[q]) & vec4(0x7fffffffu)) != vec4(0u)), params3.count);
}
