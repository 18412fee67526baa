// A linear layer in one launch (Backend.matmulBiasActivation): y = act(A·B + bias), A [m, k] and B
// [k, n] row-major, k and n multiples of 4 — matmulDirect.wgsl's register-blocked product (RM rows ×
// 4·CV columns per thread, A and B read as vec4s, no workgroup memory, no barrier) with the bias and the
// activation applied as each output block is stored (an epilogue), so the training MLP needs no
// separate bias/GELU pass over its [rows, 4D] activations. With GELU the product before the bias is
// stored too (`pre`): the backward (bias_activation.wgsl's bias_act_backward) differentiates from it.
// ACT: 0 none, 1 GELU (the same formula as bias_activation.wgsl). CPU oracle: matmul then biasActivation
// (src/engine/backend/cpu).
override WGX: u32 = 8; // threads per workgroup along n
override WGY: u32 = 8; // threads per workgroup along m
override RM: u32 = 8; // output rows per thread: 1, 2, 4 or 8
override CV: u32 = 2; // vec4 columns per thread: 1 or 2
override ACT: u32 = 0;

struct Params {
  m: u32,
  n: u32,
  k: u32,
  /** Whether to store pre (the host sets it with GELU). A uniform, not ACT, so that pre stays bound
   *  (statically used) in every pipeline: without it a one-element scratch stands in, never written. */
  storePre: u32,
}

@group(0) @binding(0) var<storage, read> a4: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> y4: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> bias4: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> pre4: array<vec4<f32>>; // written only when storePre
@group(0) @binding(5) var<uniform> params: Params;

const GELU_C: f32 = 0.7978845608028654; // sqrt(2 / pi)
const GELU_A: f32 = 0.044715;

fn act4(x: vec4<f32>) -> vec4<f32> {
  if (ACT == 1u) {
    let v = 2.0 * GELU_C * (x + GELU_A * x * x * x);
    let e = exp(-abs(v));
    return x * (select(e, vec4<f32>(1.0), v >= vec4<f32>(0.0)) / (1.0 + e));
  }
  return x;
}

/// Four vec4s: a 4×4 block, one vec4 per row.
struct Block {
  r0: vec4<f32>,
  r1: vec4<f32>,
  r2: vec4<f32>,
  r3: vec4<f32>,
}

/// A[rows[i], kc .. kc+3] for four rows (clamped into range by the caller).
fn loadA(rows: vec4<u32>, kc: u32) -> Block {
  let k = params.k;
  return Block(a4[(rows.x * k + kc) / 4u], a4[(rows.y * k + kc) / 4u], a4[(rows.z * k + kc) / 4u], a4[(rows.w * k + kc) / 4u]);
}

/// B[kc .. kc+3, col .. col+3], one vec4 of four columns per k.
fn loadB(col: u32, kc: u32) -> Block {
  let n = params.n;
  return Block(b4[(kc * n + col) / 4u], b4[((kc + 1u) * n + col) / 4u], b4[((kc + 2u) * n + col) / 4u], b4[((kc + 3u) * n + col) / 4u]);
}

/// acc += aRow · B for one output row: aRow holds that row's four k values.
fn rowTimesBlock(acc: vec4<f32>, aRow: vec4<f32>, b: Block) -> vec4<f32> {
  var s = fma(vec4<f32>(aRow.x), b.r0, acc);
  s = fma(vec4<f32>(aRow.y), b.r1, s);
  s = fma(vec4<f32>(aRow.z), b.r2, s);
  return fma(vec4<f32>(aRow.w), b.r3, s);
}

fn accumulate(acc: Block, a: Block, b: Block) -> Block {
  var s = acc;
  s.r0 = rowTimesBlock(s.r0, a.r0, b);
  if (RM > 1u) { s.r1 = rowTimesBlock(s.r1, a.r1, b); }
  if (RM > 2u) {
    s.r2 = rowTimesBlock(s.r2, a.r2, b);
    s.r3 = rowTimesBlock(s.r3, a.r3, b);
  }
  return s;
}

fn rowOf(x: Block, i: u32) -> vec4<f32> {
  switch (i) {
    case 0u: { return x.r0; }
    case 1u: { return x.r1; }
    case 2u: { return x.r2; }
    default: { return x.r3; }
  }
}

struct Acc {
  c0: Block, // rows 0..3, columns col .. col+3
  c1: Block, // rows 0..3, columns col+4 .. col+7 (CV = 2)
  c2: Block, // rows 4..7 (RM = 8), columns col .. col+3
  c3: Block, // rows 4..7, columns col+4 .. col+7
}

/// The epilogue: y = act(v + bias) at (row, col .. col+3), and v itself into pre when asked.
fn store(row: u32, col: u32, v: vec4<f32>) {
  let at = (row * params.n + col) / 4u;
  if (params.storePre != 0u) {
    pre4[at] = v;
  }
  y4[at] = act4(v + bias4[col / 4u]);
}

@compute @workgroup_size(WGX, WGY)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = params.m;
  let n = params.n;
  let k = params.k;
  let col = gid.x * 4u * CV;
  let row0 = gid.y * RM;
  if (col >= n || row0 >= m) { return; }
  // Rows and columns past the end re-read the last ones in range; their sums are never stored.
  let rows = min(vec4<u32>(row0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(m - 1u));
  let rowsB = min(vec4<u32>(row0) + vec4<u32>(4u, 5u, 6u, 7u), vec4<u32>(m - 1u)); // RM = 8
  let col1 = min(col + 4u, n - 4u); // CV = 2

  let zero = Block(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  var acc = Acc(zero, zero, zero, zero);
  for (var kc = 0u; kc < k; kc += 4u) {
    let a = loadA(rows, kc);
    let b0 = loadB(col, kc);
    acc.c0 = accumulate(acc.c0, a, b0);
    if (CV > 1u) {
      let b1 = loadB(col1, kc);
      acc.c1 = accumulate(acc.c1, a, b1);
      if (RM > 4u) {
        let aB = loadA(rowsB, kc);
        acc.c2 = accumulate(acc.c2, aB, b0);
        acc.c3 = accumulate(acc.c3, aB, b1);
      }
    } else if (RM > 4u) {
      acc.c2 = accumulate(acc.c2, loadA(rowsB, kc), b0);
    }
  }

  for (var i = 0u; i < RM; i++) {
    let row = row0 + i;
    if (row >= m) { break; }
    let upper = i < 4u;
    store(row, col, select(rowOf(acc.c2, i - 4u), rowOf(acc.c0, i), upper));
    if (CV > 1u && col + 4u < n) { store(row, col + 4u, select(rowOf(acc.c3, i - 4u), rowOf(acc.c1, i), upper)); }
  }
}
