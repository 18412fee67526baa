// Elementwise maps over flat f32 arrays of the same length, one thread per element.
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
  count: u32,
  p0: f32,
  p1: f32,
}

@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> in0: array<f32>;
@group(0) @binding(2) var<storage, read> in1: array<f32>;
@group(0) @binding(3) var<storage, read> in2: array<f32>;
@group(0) @binding(2) var<uniform> params1: Params; // unary:     out, x
@group(0) @binding(3) var<uniform> params2: Params; // clampGrad: out, x, dy
@group(0) @binding(4) var<uniform> params3: Params; // unaryGrad: out, x, y, dy;  where: out, cond, a, b

const GELU_C: f32 = 0.7978845608028654; // sqrt(2 / pi)
const GELU_A: f32 = 0.044715;

fn sigmoid(x: f32) -> f32 {
  let e = exp(-abs(x)); // in (0, 1]
  return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);
}

fn tanh_stable(x: f32) -> f32 {
  let a = abs(x);
  var t: f32;
  if (a < 0.4) {
    // Taylor series through x^11; the first omitted term is < 6e-8 relative for |x| < 0.4.
    let a2 = a * a;
    t = a * (1.0 + a2 * (-1.0 / 3.0 + a2 * (2.0 / 15.0 + a2 * (-17.0 / 315.0 + a2 * (62.0 / 2835.0 + a2 * (-1382.0 / 155925.0))))));
  } else {
    let e = exp(-2.0 * a); // in (0, 0.45]
    t = (1.0 - e) / (1.0 + e);
  }
  return select(-t, t, x >= 0.0);
}

fn log_accurate(x: f32) -> f32 {
  if (abs(x - 1.0) < 0.25) {
    // x - 1 is exact here (Sterbenz); s in (-0.12, 0.12), series through s^9: omitted term < 1e-10 relative.
    let s = (x - 1.0) / (x + 1.0);
    let s2 = s * s;
    return 2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0)))));
  }
  return log(x);
}

/** 2u, the argument for which gelu(x) = x * sigmoid(2u). Overflows to +-inf harmlessly for huge |x|. */
fn gelu_arg(x: f32) -> f32 {
  return 2.0 * GELU_C * (x + GELU_A * x * x * x);
}

fn gelu(x: f32) -> f32 {
  return x * sigmoid(gelu_arg(x));
}

/** d/dx [x * s(2u)] = s + 2x s (1 - s) C (1 + 3A x^2), with 1 - s = sigmoid(-2u) computed without cancellation. */
fn gelu_grad(x: f32) -> f32 {
  let v = gelu_arg(x);
  let s = sigmoid(v);
  let r = sigmoid(-v);
  return s + 2.0 * x * s * r * GELU_C * (1.0 + 3.0 * GELU_A * x * x);
}

fn apply_unary(x: f32, p0: f32, p1: f32) -> f32 {
  switch (OP) {
    case 0u: { return -x; }
    case 1u: { return exp(x); }
    case 2u: { return log_accurate(x); }
    case 3u: { return tanh_stable(x); }
    case 4u: { return gelu(x); }
    case 5u: { return sqrt(x); }
    case 6u: { return x * x; }
    case 7u: { return select(0.0, x, x > 0.0); } // NaN -> 0, as the CPU oracle
    case 8u: { return abs(x); }
    case 9u: { return sigmoid(x); }
    case 10u: { return x * p0 + p1; }
    default: { return select(select(x, p1, x > p1), p0, x < p0); } // clamp; NaN stays NaN
  }
}

/** dy * f'(x); y = f(x) where the derivative is cheaper (and matches the oracle) from the output. */
fn apply_grad(x: f32, y: f32, dy: f32) -> f32 {
  switch (OP) {
    case 1u: { return dy * y; }
    case 2u: { return dy / x; }
    case 3u: { return dy * ((1.0 - y) * (1.0 + y)); } // 1 - y^2 without cancellation near |y| = 1
    case 4u: { return dy * gelu_grad(x); }
    case 5u: { return 0.5 * dy / y; }
    case 7u: { return select(0.0, dy, x > 0.0); }
    case 8u: { return select(select(0.0, -dy, x < 0.0), dy, x > 0.0); } // subgradient 0 at x = 0
    default: { return dy * y * (1.0 - y); } // sigmoid
  }
}

@compute @workgroup_size(WG)
fn unary(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
         @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= params1.count) { return; }
  out[i] = apply_unary(in0[i], params1.p0, params1.p1);
}

@compute @workgroup_size(WG)
fn clampGrad(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= params2.count) { return; }
  let x = in0[i];
  out[i] = select(0.0, in1[i], x >= params2.p0 && x <= params2.p1);
}

@compute @workgroup_size(WG)
fn unaryGrad(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= params3.count) { return; }
  out[i] = apply_grad(in0[i], in1[i], in2[i]);
}

@compute @workgroup_size(WG)
fn where_select(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
         @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= params3.count) { return; }
  // Compared as bits so a NaN condition picks a (NaN != 0 in the oracle) even where drivers fold NaN
  // comparisons; +0 and -0 both pick b.
  out[i] = select(in2[i], in1[i], (bitcast<u32>(in0[i]) & 0x7fffffffu) != 0u);
}
