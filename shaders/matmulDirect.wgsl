// Batched matmul without workgroup memory: out[b] = op(A[b]) · op(B[b]), each thread a register block
// of RM rows × 4·CV columns, reading A and B straight from global memory as vec4s.
//
// Why a second matmul: on adapters whose "global memory" is a CPU cache (SwiftShader, and integrated
// GPUs to a lesser degree), staging tiles in workgroup memory buys nothing and every workgroupBarrier
// is a costly context switch of the invocations; a block of independent threads, each walking k four
// at a time with vec4 loads, is 3-6.5× faster there on this model's thin shapes. The tiled kernel
// (matmul.wgsl) stays selectable (WebGpuBackend.matmulKernel = 'tiled'), to compare on discrete GPUs,
// where workgroup memory may pay.
//
// Layout as in matmul.wgsl (MatmulParams in src/engine/backend.ts). The caller uses `main` only
// when every contiguous axis (a stored row of A and of B, a row of out) and both batch strides are
// multiples of 4. Then k is a multiple of 4 unless A is transposed and B is not; that one case walks
// its last k % 4 steps one at a time.
//
// `main_scalar` is the same register block with scalar loads and bounds checks, for shapes that are not
// vec4-aligned (attention's T×T scores when T is odd, say): CV must be 1 there, and RM at most 4.
//
// Threads: global_invocation_id x = column block, y = row block, z = batch entry - batchBase.
// The transposes are override constants: the inner loop is then branch-free, at the price of one
// pipeline per (transA, transB, RM, CV) actually used.

override WGX: u32 = 8; // threads per workgroup along n
override WGY: u32 = 8; // threads per workgroup along m
override RM: u32 = 4; // output rows per thread: 1, 2, 4 or 8 (8 on the vec4 path only)
override CV: u32 = 1; // vec4 columns per thread: 1 or 2
override TRANS_A: bool = false; // A stored k×m
override TRANS_B: bool = false; // B stored n×k

struct Params {
  m: u32,
  n: u32,
  k: u32,
  aBatchStride: u32,
  bBatchStride: u32,
  batchBase: u32,
}

@group(0) @binding(0) var<storage, read> a4: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> out4: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: Params;
// Scalar views of the same bindings for `main_scalar` (WGSL allows the aliases: no entry point uses both).
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

/// Four vec4s: a 4×4 block of op(A) (rows × k) or of op(B) (k × columns), one vec4 per row.
struct Block {
  r0: vec4<f32>,
  r1: vec4<f32>,
  r2: vec4<f32>,
  r3: vec4<f32>,
}

fn transpose4(x: Block) -> Block {
  return Block(
    vec4<f32>(x.r0.x, x.r1.x, x.r2.x, x.r3.x),
    vec4<f32>(x.r0.y, x.r1.y, x.r2.y, x.r3.y),
    vec4<f32>(x.r0.z, x.r1.z, x.r2.z, x.r3.z),
    vec4<f32>(x.r0.w, x.r1.w, x.r2.w, x.r3.w),
  );
}

/// op(A)[rows[i], kc .. kc+3] for the thread's four rows (clamped into range by the caller).
fn loadA(aOff: u32, rows: vec4<u32>, row0: u32, kc: u32) -> Block {
  let m = params.m;
  let k = params.k;
  if (TRANS_A) {
    // stored k×m: one vec4 holds four consecutive rows of one k (m and row0 are multiples of 4)
    return transpose4(Block(
      a4[(aOff + kc * m + row0) / 4u],
      a4[(aOff + (kc + 1u) * m + row0) / 4u],
      a4[(aOff + (kc + 2u) * m + row0) / 4u],
      a4[(aOff + (kc + 3u) * m + row0) / 4u],
    ));
  }
  return Block(
    a4[(aOff + rows.x * k + kc) / 4u],
    a4[(aOff + rows.y * k + kc) / 4u],
    a4[(aOff + rows.z * k + kc) / 4u],
    a4[(aOff + rows.w * k + kc) / 4u],
  );
}

/// op(B)[kc .. kc+3, col .. col+3], one vec4 of four columns per k.
fn loadB(bOff: u32, col: u32, kc: u32) -> Block {
  let n = params.n;
  let k = params.k;
  if (TRANS_B) {
    // stored n×k: one vec4 holds four consecutive k of one column (k is a multiple of 4)
    return transpose4(Block(
      b4[(bOff + col * k + kc) / 4u],
      b4[(bOff + (col + 1u) * k + kc) / 4u],
      b4[(bOff + (col + 2u) * k + kc) / 4u],
      b4[(bOff + (col + 3u) * k + kc) / 4u],
    ));
  }
  return Block(
    b4[(bOff + kc * n + col) / 4u],
    b4[(bOff + (kc + 1u) * n + col) / 4u],
    b4[(bOff + (kc + 2u) * n + col) / 4u],
    b4[(bOff + (kc + 3u) * n + col) / 4u],
  );
}

/// acc += aRow · B for one output row: aRow holds that row's four k values.
fn rowTimesBlock(acc: vec4<f32>, aRow: vec4<f32>, b: Block) -> vec4<f32> {
  var s = fma(vec4<f32>(aRow.x), b.r0, acc);
  s = fma(vec4<f32>(aRow.y), b.r1, s);
  s = fma(vec4<f32>(aRow.z), b.r2, s);
  return fma(vec4<f32>(aRow.w), b.r3, s);
}

struct Acc {
  c0: Block, // rows 0..3 of the thread's block, columns col .. col+3
  c1: Block, // rows 0..3, columns col+4 .. col+7 (CV = 2)
  c2: Block, // rows 4..7 (RM = 8), columns col .. col+3
  c3: Block, // rows 4..7, columns col+4 .. col+7 (RM = 8, CV = 2)
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

fn outerProduct(acc: Block, aCol: vec4<f32>, bRow: vec4<f32>) -> Block {
  return Block(fma(vec4<f32>(aCol.x), bRow, acc.r0), fma(vec4<f32>(aCol.y), bRow, acc.r1),
               fma(vec4<f32>(aCol.z), bRow, acc.r2), fma(vec4<f32>(aCol.w), bRow, acc.r3));
}

@compute @workgroup_size(WGX, WGY)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = params.m;
  let n = params.n;
  let k = params.k;
  let col = gid.x * 4u * CV;
  let row0 = gid.y * RM;
  if (col >= n || row0 >= m) { return; } // no barriers, so idle threads may leave
  let batch = params.batchBase + gid.z;
  let aOff = batch * params.aBatchStride;
  let bOff = batch * params.bBatchStride;
  // Rows and columns past the end re-read the last ones in range; their sums are never stored.
  let rows = min(vec4<u32>(row0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(m - 1u));
  let rowsB = min(vec4<u32>(row0) + vec4<u32>(4u, 5u, 6u, 7u), vec4<u32>(m - 1u)); // RM = 8
  let row0B = select(row0 + 4u, min(row0 + 4u, m - 4u), TRANS_A); // RM = 8, transposed A: m % 4 == 0
  let col1 = min(col + 4u, n - 4u); // CV = 2

  let zero = Block(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  var acc = Acc(zero, zero, zero, zero);
  let kFull = k & ~3u;
  for (var kc = 0u; kc < kFull; kc += 4u) {
    let a = loadA(aOff, rows, row0, kc);
    let b0 = loadB(bOff, col, kc);
    acc.c0 = accumulate(acc.c0, a, b0);
    if (CV > 1u) {
      let b1 = loadB(bOff, col1, kc);
      acc.c1 = accumulate(acc.c1, a, b1);
      if (RM > 4u) {
        let aB = loadA(aOff, rowsB, row0B, kc);
        acc.c2 = accumulate(acc.c2, aB, b0);
        acc.c3 = accumulate(acc.c3, aB, b1);
      }
    } else if (RM > 4u) {
      acc.c2 = accumulate(acc.c2, loadA(aOff, rowsB, row0B, kc), b0);
    }
  }
  // Only A transposed, B not: k need not be a multiple of 4. One k at a time: an outer product.
  for (var kc = kFull; kc < k; kc++) {
    let aCol = a4[(aOff + kc * m + row0) / 4u];
    let b0 = b4[(bOff + kc * n + col) / 4u];
    acc.c0 = outerProduct(acc.c0, aCol, b0);
    if (CV > 1u) { acc.c1 = outerProduct(acc.c1, aCol, b4[(bOff + kc * n + col1) / 4u]); }
    if (RM > 4u) {
      let aColB = a4[(aOff + kc * m + row0B) / 4u];
      acc.c2 = outerProduct(acc.c2, aColB, b0);
      if (CV > 1u) { acc.c3 = outerProduct(acc.c3, aColB, b4[(bOff + kc * n + col1) / 4u]); }
    }
  }

  let base = batch * m * n;
  for (var i = 0u; i < RM; i++) {
    let row = row0 + i;
    if (row >= m) { break; }
    let upper = i < 4u;
    out4[(base + row * n + col) / 4u] = select(rowOf(acc.c2, i - 4u), rowOf(acc.c0, i), upper);
    if (CV > 1u && col + 4u < n) { out4[(base + row * n + col + 4u) / 4u] = select(rowOf(acc.c3, i - 4u), rowOf(acc.c1, i), upper); }
  }
}

/// op(A)[row, kk] from the scalar view.
fn aAt(aOff: u32, row: u32, kk: u32) -> f32 {
  if (TRANS_A) { return a[aOff + kk * params.m + row]; }
  return a[aOff + row * params.k + kk];
}

/// op(B)[kk, col] from the scalar view.
fn bAt(bOff: u32, kk: u32, col: u32) -> f32 {
  if (TRANS_B) { return b[bOff + col * params.k + kk]; }
  return b[bOff + kk * params.n + col];
}

@compute @workgroup_size(WGX, WGY)
fn main_scalar(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = params.m;
  let n = params.n;
  let col0 = gid.x * 4u;
  let row0 = gid.y * RM;
  if (col0 >= n || row0 >= m) { return; }
  let batch = params.batchBase + gid.z;
  let aOff = batch * params.aBatchStride;
  let bOff = batch * params.bBatchStride;
  // Rows and columns past the end re-read the last one; their sums are never stored.
  let rows = min(vec4<u32>(row0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(m - 1u));
  let cols = min(vec4<u32>(col0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(n - 1u));
  var acc = Block(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  for (var kk = 0u; kk < params.k; kk++) {
    let bRow = vec4<f32>(bAt(bOff, kk, cols.x), bAt(bOff, kk, cols.y), bAt(bOff, kk, cols.z), bAt(bOff, kk, cols.w));
    acc.r0 = fma(vec4<f32>(aAt(aOff, rows.x, kk)), bRow, acc.r0);
    if (RM > 1u) { acc.r1 = fma(vec4<f32>(aAt(aOff, rows.y, kk)), bRow, acc.r1); }
    if (RM > 2u) {
      acc.r2 = fma(vec4<f32>(aAt(aOff, rows.z, kk)), bRow, acc.r2);
      acc.r3 = fma(vec4<f32>(aAt(aOff, rows.w, kk)), bRow, acc.r3);
    }
  }
  let base = batch * m * n;
  for (var i = 0u; i < RM; i++) {
    let row = row0 + i;
    if (row >= m) { break; }
    let v = rowOf(acc, i);
    let o = base + row * n + col0;
    out[o] = v.x;
    if (col0 + 1u < n) { out[o + 1u] = v.y; }
    if (col0 + 2u < n) { out[o + 2u] = v.z; }
    if (col0 + 3u < n) { out[o + 3u] = v.w; }
  }
}
