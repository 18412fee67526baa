// Broadcasting binary op: out[i] = a[ai] OP b[bi], out contiguous in `shape`.
// ai and bi come from i's coordinates times per-operand strides (0 on a broadcast axis); the caller
// first drops size-1 axes and merges axes that are contiguous in both operands, so the common cases
// (same shape, scalar, row/column broadcast) reach the shader with RANK 1 or 2.
// OP: 0 add 1 sub 2 mul 3 div 4 max 5 min. max/min propagate NaN like Math.max/Math.min (the CPU oracle);
// the built-ins may return the other operand instead. NaN is detected from the bits: drivers may fold
// `x != x` to false.
//
// Two entry points:
//   main   one thread per element, any strides.
//   main4  one thread per 4 consecutive outputs (a quad), taken whenever the innermost axis has a
//          length divisible by 4. On software adapters (SwiftShader) the per-invocation work, mostly
//          the index maths, dominates these kernels; a quarter of the invocations, each doing it once
//          per quad, is several times faster. `shape` then holds the innermost length in quads and
//          its strides are the steps per quad (4 × the element strides aInner / bInner). Each
//          operand is read (A_MODE / B_MODE) as
//            0 VEC     one vec4: innermost stride 1 and every other stride a multiple of 4, so the
//                      quad is a whole aligned vec4 (same shape, a row broadcast such as a bias)
//            1 SPLAT   one element for all 4 lanes: innermost stride 0 (scalar, column broadcast)
//            2 GATHER  4 elements aInner apart (e.g. a transposed operand)
//          through the vec4 view, element k being a4[k / 4][k % 4].
override WG: u32 = 256;
override OP: u32 = 0;
override RANK: u32 = 1; // 1..6
override A_MODE: u32 = 0; // main4: 0 VEC, 1 SPLAT, 2 GATHER (see above)
override B_MODE: u32 = 0;

struct Params { // axes innermost first
  shape: array<vec4<u32>, 2>,
  aStrides: array<vec4<u32>, 2>, // i32 bit patterns
  bStrides: array<vec4<u32>, 2>,
  count: u32, // threads: elements for main, quads for main4
  aInner: u32, // main4: the innermost element strides (i32 bits)
  bInner: u32,
}

@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@group(0) @binding(0) var<storage, read_write> out4: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> a4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> b4: array<vec4<f32>>;

fn is_nan(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

fn apply(x: f32, y: f32) -> f32 {
  switch (OP) {
    case 0u: { return x + y; }
    case 1u: { return x - y; }
    case 2u: { return x * y; }
    case 3u: { return x / y; }
    case 4u: { return select(select(max(x, y), y, is_nan(y)), x, is_nan(x)); }
    default: { return select(select(min(x, y), y, is_nan(y)), x, is_nan(x)); }
  }
}

fn is_nan4(v: vec4<f32>) -> vec4<bool> {
  return (bitcast<vec4<u32>>(v) & vec4(0x7fffffffu)) > vec4(0x7f800000u);
}

/** apply() on 4 lanes at once, with the same per-lane results. */
fn apply4(x: vec4<f32>, y: vec4<f32>) -> vec4<f32> {
  switch (OP) {
    case 0u: { return x + y; }
    case 1u: { return x - y; }
    case 2u: { return x * y; }
    case 3u: { return x / y; }
    case 4u: { return select(select(max(x, y), y, is_nan4(y)), x, is_nan4(x)); }
    default: { return select(select(min(x, y), y, is_nan4(y)), x, is_nan4(x)); }
  }
}

fn thread_index(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * WG + lid;
}

/** Axis k's (length, a stride, b stride); axes are stored innermost first. */
fn axis(k: u32) -> vec3<u32> {
  switch (k) {
    case 0u: { return vec3(params.shape[0].x, params.aStrides[0].x, params.bStrides[0].x); }
    case 1u: { return vec3(params.shape[0].y, params.aStrides[0].y, params.bStrides[0].y); }
    case 2u: { return vec3(params.shape[0].z, params.aStrides[0].z, params.bStrides[0].z); }
    case 3u: { return vec3(params.shape[0].w, params.aStrides[0].w, params.bStrides[0].w); }
    case 4u: { return vec3(params.shape[1].x, params.aStrides[1].x, params.bStrides[1].x); }
    default: { return vec3(params.shape[1].y, params.aStrides[1].y, params.bStrides[1].y); }
  }
}

/** Peels the coordinate along axis `ax` off *rest and adds its offsets to *at. */
fn step(rest: ptr<function, u32>, at: ptr<function, vec2<i32>>, ax: vec3<u32>) {
  *at += i32(*rest % ax.x) * bitcast<vec2<i32>>(ax.yz);
  *rest /= ax.x;
}

/**
 * Operand offsets (a, b) of thread index i. Written out axis by axis with constant axis numbers
 * rather than as a loop indexing the uniform arrays: on SwiftShader that loop cost several times
 * the rest of the kernel. The outermost coordinate is what is left after the inner ones.
 */
fn offsets(i: u32) -> vec2<i32> {
  var rest = i;
  var at = vec2<i32>(0);
  if (RANK > 1u) { step(&rest, &at, axis(0u)); }
  if (RANK > 2u) { step(&rest, &at, axis(1u)); }
  if (RANK > 3u) { step(&rest, &at, axis(2u)); }
  if (RANK > 4u) { step(&rest, &at, axis(3u)); }
  if (RANK > 5u) { step(&rest, &at, axis(4u)); }
  return at + i32(rest) * bitcast<vec2<i32>>(axis(RANK - 1u).yz);
}

/** main4's quad of a starting at element k; the mode is fixed per pipeline, so this folds to one case. */
fn load_a(k: u32) -> vec4<f32> {
  switch (A_MODE) {
    case 0u: { return a4[k >> 2u]; } // k is a multiple of 4
    case 1u: { return vec4(a4[k >> 2u][k & 3u]); }
    default: {
      let j = k + vec4(0u, 1u, 2u, 3u) * params.aInner; // wraps like the i32 it is
      return vec4(a4[j.x >> 2u][j.x & 3u], a4[j.y >> 2u][j.y & 3u], a4[j.z >> 2u][j.z & 3u], a4[j.w >> 2u][j.w & 3u]);
    }
  }
}

fn load_b(k: u32) -> vec4<f32> {
  switch (B_MODE) {
    case 0u: { return b4[k >> 2u]; }
    case 1u: { return vec4(b4[k >> 2u][k & 3u]); }
    default: {
      let j = k + vec4(0u, 1u, 2u, 3u) * params.bInner;
      return vec4(b4[j.x >> 2u][j.x & 3u], b4[j.y >> 2u][j.y & 3u], b4[j.z >> 2u][j.z & 3u], b4[j.w >> 2u][j.w & 3u]);
    }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = thread_index(wid, nwg, lid);
  if (i >= params.count) { return; }
  let at = offsets(i);
  out[i] = apply(a[at.x], b[at.y]);
}

@compute @workgroup_size(WG)
fn main4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
         @builtin(local_invocation_index) lid: u32) {
  let q = thread_index(wid, nwg, lid);
  if (q >= params.count) { return; }
  let at = vec2<u32>(offsets(q)); // in elements
  out4[q] = apply4(load_a(at.x), load_b(at.y));
}
