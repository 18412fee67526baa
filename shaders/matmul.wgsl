// Batched, tiled, register-blocked matmul: out[b] = op(A[b]) · op(B[b]), op = transpose when the flag is set.
//
// Layout (see MatmulParams in src/engine/backend.ts): op(A) is m×k, op(B) is k×n, out is batch×m×n
// contiguous. A[b] starts at b*aBatchStride (0 broadcasts one matrix), likewise B.
//
// Each workgroup owns a TM×TN output tile (TM = RM*WGY, TN = 4*WGX) of one batch entry
// (workgroup_id: x = column tile, y = row tile, z = batch - batchBase; the TypeScript side splits
// batches above 65535 into several dispatches). It walks k in steps of TK: the threads stage a TM×TK
// slice of op(A) and a TK×TN slice of op(B) in workgroup memory (k-major, so the inner loop reads a
// column of A and a row of B), then each thread accumulates its own 4×4 block of outputs in registers:
// per k step, 4 A values and one vec4 of B feed four vec4 FMAs. Out-of-range elements are staged as 0,
// so any m, n, k works; only stores are bounds-checked. Accumulation is f32.
//
// Two entry points share everything but global memory access:
// - `main`: scalar loads and stores; any shape, any alignment.
// - `main_vec4`: vec4 loads of A and B along their contiguous axis and vec4 stores of out. The caller
//   uses it only when every contiguous axis (k or m for A, n or k for B, n for out) and both batch
//   strides are multiples of 4. The vec4 views alias the scalar ones at the same bindings, which WGSL
//   allows because no entry point uses both.
//
// Specialised by override constants only: WGX/WGY (threads along n/m), RM (rows per thread), TK. The
// transpose flags are uniforms: they only steer the staging loads (a uniform branch), and keeping them
// out of the pipeline key means 4× fewer pipelines to compile (~1 s each on a software adapter).
// Workgroup memory: (TM + TN) * TK * 4 bytes (64×64 tiles with TK=16: 8 KiB).

override WGX: u32 = 16; // threads along n; TN = 4*WGX
override WGY: u32 = 16; // threads along m; TM = RM*WGY
override RM: u32 = 4; // output rows per thread: 1, 2 or 4
override TK: u32 = 16; // k depth of a staged slice (a multiple of 4)

override TM: u32 = RM * WGY; // derived: not set from TypeScript
override TN: u32 = 4u * WGX;
override A_TILE: u32 = TM * TK;
override B_TILE: u32 = TK * TN;

struct Params {
  m: u32,
  n: u32,
  k: u32,
  aBatchStride: u32,
  bBatchStride: u32,
  batchBase: u32,
  transA: u32, // 1: A stored k×m
  transB: u32, // 1: B stored n×k
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(0) var<storage, read> a4: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> out4: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> tileA: array<f32, A_TILE>; // tileA[kk*TM + r] = op(A)[row0 + r, k0 + kk]
var<workgroup> tileB: array<f32, B_TILE>; // tileB[kk*TN + c] = op(B)[k0 + kk, col0 + c]

/// Where one workgroup works: batch entry, first output row/column, and its A/B matrix offsets.
struct Tile {
  batch: u32,
  row0: u32,
  col0: u32,
  aOff: u32,
  bOff: u32,
}

fn tileOf(wid: vec3<u32>) -> Tile {
  let batch = params.batchBase + wid.z;
  return Tile(batch, wid.y * TM, wid.x * TN, batch * params.aBatchStride, batch * params.bBatchStride);
}

// ---- staging, scalar: consecutive threads read consecutive addresses along the stored row.

fn stageScalar(t: Tile, k0: u32, tid: u32) {
  let m = params.m;
  let n = params.n;
  let k = params.k;
  for (var e = tid; e < A_TILE; e += WGX * WGY) {
    var r: u32;
    var kk: u32;
    if (params.transA != 0u) { kk = e / TM; r = e % TM; } else { r = e / TK; kk = e % TK; }
    let row = t.row0 + r;
    let kc = k0 + kk;
    var v = 0.0;
    if (row < m && kc < k) {
      if (params.transA != 0u) { v = a[t.aOff + kc * m + row]; } else { v = a[t.aOff + row * k + kc]; }
    }
    tileA[kk * TM + r] = v;
  }
  for (var e = tid; e < B_TILE; e += WGX * WGY) {
    var c: u32;
    var kk: u32;
    if (params.transB != 0u) { c = e / TK; kk = e % TK; } else { kk = e / TN; c = e % TN; }
    let col = t.col0 + c;
    let kr = k0 + kk;
    var v = 0.0;
    if (col < n && kr < k) {
      if (params.transB != 0u) { v = b[t.bOff + col * k + kr]; } else { v = b[t.bOff + kr * n + col]; }
    }
    tileB[kk * TN + c] = v;
  }
}

// ---- staging, vec4: each thread reads whole vec4s along the stored row (alignment checked by the caller).

fn stageVec4(t: Tile, k0: u32, tid: u32) {
  let m = params.m;
  let n = params.n;
  let k = params.k;
  for (var e = tid; e < A_TILE / 4u; e += WGX * WGY) {
    if (params.transA != 0u) {
      // stored k×m: four consecutive rows of one k
      let kk = e / max(TM / 4u, 1u); // TM is a multiple of 4 whenever this path runs (m % 4 == 0)
      let r = (e % max(TM / 4u, 1u)) * 4u;
      let row = t.row0 + r;
      let kc = k0 + kk;
      var v = vec4<f32>(0.0);
      if (row < m && kc < k) { v = a4[(t.aOff + kc * m + row) / 4u]; }
      let base = kk * TM + r;
      tileA[base] = v.x;
      tileA[base + 1u] = v.y;
      tileA[base + 2u] = v.z;
      tileA[base + 3u] = v.w;
    } else {
      // stored m×k: four consecutive k of one row
      let r = e / (TK / 4u);
      let kk = (e % (TK / 4u)) * 4u;
      let row = t.row0 + r;
      let kc = k0 + kk;
      var v = vec4<f32>(0.0);
      if (row < m && kc < k) { v = a4[(t.aOff + row * k + kc) / 4u]; }
      let base = kk * TM + r;
      tileA[base] = v.x;
      tileA[base + TM] = v.y;
      tileA[base + 2u * TM] = v.z;
      tileA[base + 3u * TM] = v.w;
    }
  }
  for (var e = tid; e < B_TILE / 4u; e += WGX * WGY) {
    if (params.transB != 0u) {
      // stored n×k: four consecutive k of one column
      let c = e / (TK / 4u);
      let kk = (e % (TK / 4u)) * 4u;
      let col = t.col0 + c;
      let kr = k0 + kk;
      var v = vec4<f32>(0.0);
      if (col < n && kr < k) { v = b4[(t.bOff + col * k + kr) / 4u]; }
      let base = kk * TN + c;
      tileB[base] = v.x;
      tileB[base + TN] = v.y;
      tileB[base + 2u * TN] = v.z;
      tileB[base + 3u * TN] = v.w;
    } else {
      // stored k×n: four consecutive columns of one k
      let kk = e / (TN / 4u);
      let c = (e % (TN / 4u)) * 4u;
      let col = t.col0 + c;
      let kr = k0 + kk;
      var v = vec4<f32>(0.0);
      if (col < n && kr < k) { v = b4[(t.bOff + kr * n + col) / 4u]; }
      let base = kk * TN + c;
      tileB[base] = v.x;
      tileB[base + 1u] = v.y;
      tileB[base + 2u] = v.z;
      tileB[base + 3u] = v.w;
    }
  }
}

// ---- the register block: rows ty*RM .. +RM-1, columns tx*4 .. +3 of the tile.

struct Acc {
  r0: vec4<f32>,
  r1: vec4<f32>,
  r2: vec4<f32>,
  r3: vec4<f32>,
}

/// One k step of the block; `if (RM > ...)` folds away at pipeline creation.
fn step(s: ptr<function, Acc>, kk: u32, tx: u32, ty: u32) {
  let bi = kk * TN + tx * 4u;
  let bv = vec4<f32>(tileB[bi], tileB[bi + 1u], tileB[bi + 2u], tileB[bi + 3u]);
  let ai = kk * TM + ty * RM;
  (*s).r0 = fma(vec4<f32>(tileA[ai]), bv, (*s).r0);
  if (RM > 1u) { (*s).r1 = fma(vec4<f32>(tileA[ai + 1u]), bv, (*s).r1); }
  if (RM > 2u) {
    (*s).r2 = fma(vec4<f32>(tileA[ai + 2u]), bv, (*s).r2);
    (*s).r3 = fma(vec4<f32>(tileA[ai + 3u]), bv, (*s).r3);
  }
}

/// Multiplies the staged slices; a full slice has a constant trip count (unrollable), the last may be short.
fn multiplyStaged(acc: ptr<function, Acc>, k0: u32, tx: u32, ty: u32) {
  var s = *acc;
  if (k0 + TK <= params.k) {
    for (var kk = 0u; kk < TK; kk++) { step(&s, kk, tx, ty); }
  } else {
    let kEnd = params.k - k0;
    for (var kk = 0u; kk < kEnd; kk++) { step(&s, kk, tx, ty); }
  }
  *acc = s;
}

fn accRow(acc: Acc, i: u32) -> vec4<f32> {
  switch (i) {
    case 0u: { return acc.r0; }
    case 1u: { return acc.r1; }
    case 2u: { return acc.r2; }
    default: { return acc.r3; }
  }
}

@compute @workgroup_size(WGX, WGY)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let t = tileOf(wid);
  let tx = tid % WGX;
  let ty = tid / WGX;
  var acc = Acc(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  for (var k0 = 0u; k0 < params.k; k0 += TK) {
    stageScalar(t, k0, tid);
    workgroupBarrier();
    multiplyStaged(&acc, k0, tx, ty);
    workgroupBarrier();
  }
  let n = params.n;
  let base = t.batch * params.m * n;
  let col = t.col0 + tx * 4u;
  for (var i = 0u; i < RM; i++) {
    let row = t.row0 + ty * RM + i;
    if (row >= params.m) { break; }
    let v = accRow(acc, i);
    let o = base + row * n + col;
    if (col < n) { out[o] = v.x; }
    if (col + 1u < n) { out[o + 1u] = v.y; }
    if (col + 2u < n) { out[o + 2u] = v.z; }
    if (col + 3u < n) { out[o + 3u] = v.w; }
  }
}

@compute @workgroup_size(WGX, WGY)
fn main_vec4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let t = tileOf(wid);
  let tx = tid % WGX;
  let ty = tid / WGX;
  var acc = Acc(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  for (var k0 = 0u; k0 < params.k; k0 += TK) {
    stageVec4(t, k0, tid);
    workgroupBarrier();
    multiplyStaged(&acc, k0, tx, ty);
    workgroupBarrier();
  }
  let n = params.n;
  let base = t.batch * params.m * n;
  let col = t.col0 + tx * 4u;
  if (col >= n) { return; } // n is a multiple of 4, so the whole vec4 is in range
  for (var i = 0u; i < RM; i++) {
    let row = t.row0 + ty * RM + i;
    if (row >= params.m) { break; }
    out4[(base + row * n + col) / 4u] = accRow(acc, i);
  }
}
