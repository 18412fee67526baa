// Causal multi-head attention over projected q, k, v packed side by side in qkv [batch·seq, 3·D]
// (D = heads·headDim; one projection matmul's layout), heads read by strides, the context written
// merged into ctx [batch·seq, D] (Backend.attention); CPU oracle: src/engine/backend/cpu/attention.ts.
// Masking as softmax.wgsl: a query i sees keys j ≤ i whose keyMask is not 0, the max is over visible
// scores, and a query that sees nothing gets zeros.
//
// attention_forward: a thread per (batch, head, query): scores into the probs row (global memory, kept
//   for the backward), their softmax in place, then the context as probs·V.
// attention_backward_q: a thread per (batch, head, query i): dP_ij = dC_i·V_j, dS_ij = P_ij (dP_ij −
//   Σ_j P_ij dP_ij)·scale into a scratch row, and dQ_i = Σ_j dS_ij K_j.
// attention_backward_kv: a thread per (batch, head, key j): dK_j = Σ_i dS_ij Q_i, dV_j = Σ_i P_ij dC_i.
//   The two backward passes write disjoint columns of dqkv (q's, then k's and v's).
// Sequences are short (the model's context), so each thread's loops are a few hundred multiply-adds.
// attention_*_vec4: the same three kernels, 4 floats a load and the thread's row in registers, used
//   where headDim is a multiple of 4 (≤ 64); see the section above pack_columns.
// pack_columns / unpack_columns: [rows, n·cols] from n ≤ 4 matrices [rows, cols] and back (Wq | Wk | Wv).
override WG: u32 = 64;

struct Params {
  batch: u32,
  seq: u32,
  heads: u32,
  headDim: u32,
  scale: f32,
  hasMask: u32,
}

struct PackParams {
  rows: u32,
  cols: u32,
  n: u32,
}

// ---- attention_forward
@group(0) @binding(0) var<storage, read> fqkv: array<f32>;
@group(0) @binding(1) var<storage, read> keyMask: array<f32>;
@group(0) @binding(2) var<storage, read_write> ctx: array<f32>;
@group(0) @binding(3) var<storage, read_write> probs: array<f32>;
@group(0) @binding(4) var<uniform> fparams: Params;

// ---- attention_backward_q
@group(0) @binding(0) var<storage, read> bqkv: array<f32>;
@group(0) @binding(1) var<storage, read> bprobs: array<f32>;
@group(0) @binding(2) var<storage, read> bdctx: array<f32>;
@group(0) @binding(3) var<storage, read_write> dscores: array<f32>;
@group(0) @binding(4) var<storage, read_write> dqkv: array<f32>;
@group(0) @binding(5) var<uniform> bparams: Params;

// ---- attention_backward_kv (bindings 0-4 as attention_backward_q, dscores read only)
@group(0) @binding(3) var<storage, read> kdscores: array<f32>;

// ---- pack_columns
@group(0) @binding(0) var<storage, read> pin0: array<f32>;
@group(0) @binding(1) var<storage, read> pin1: array<f32>;
@group(0) @binding(2) var<storage, read> pin2: array<f32>;
@group(0) @binding(3) var<storage, read> pin3: array<f32>;
@group(0) @binding(4) var<storage, read_write> pout: array<f32>;
@group(0) @binding(5) var<uniform> pparams: PackParams;

// ---- unpack_columns
@group(0) @binding(0) var<storage, read> uin: array<f32>;
@group(0) @binding(1) var<storage, read_write> uout0: array<f32>;
@group(0) @binding(2) var<storage, read_write> uout1: array<f32>;
@group(0) @binding(3) var<storage, read_write> uout2: array<f32>;
@group(0) @binding(4) var<storage, read_write> uout3: array<f32>;
@group(0) @binding(5) var<uniform> uparams: PackParams;

struct Row {
  valid: bool,
  b: u32,
  i: u32,
  /** Offset of the row's head in qkv's layout, without the position: b·seq·3D + h·dh. */
  base: u32,
  /** Offset of the head in the context's [batch·seq, D] layout, without the position. */
  ctxBase: u32,
  /** Offset of its probs row: ((b·heads + h)·seq + i)·seq. */
  probRow: u32,
}

fn rowOf(wid: vec3<u32>, nwg: vec3<u32>, lid: u32, p: Params) -> Row {
  let t = (wid.y * nwg.x + wid.x) * WG + lid;
  var r: Row;
  r.valid = t < p.batch * p.heads * p.seq;
  r.i = t % p.seq;
  let h = (t / p.seq) % p.heads;
  r.b = t / (p.seq * p.heads);
  let D = p.heads * p.headDim;
  r.base = r.b * p.seq * 3u * D + h * p.headDim;
  r.ctxBase = r.b * p.seq * D + h * p.headDim;
  r.probRow = t * p.seq;
  return r;
}

@compute @workgroup_size(WG)
fn attention_forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                     @builtin(local_invocation_index) lid: u32) {
  let p = fparams;
  let r = rowOf(wid, nwg, lid, p);
  if (!r.valid) {
    return;
  }
  let D = p.heads * p.headDim;
  let ld = 3u * D;
  let qOff = r.base + r.i * ld;
  var mx = -3.0e38;
  var seen = false;
  for (var j = 0u; j < p.seq; j++) {
    var visible = j <= r.i;
    if (visible && p.hasMask != 0u) {
      visible = keyMask[r.b * p.seq + j] != 0.0;
    }
    var s = 0.0;
    if (visible) {
      let kOff = r.base + j * ld + D;
      var dot = 0.0;
      for (var d = 0u; d < p.headDim; d++) {
        dot += fqkv[qOff + d] * fqkv[kOff + d];
      }
      s = dot * p.scale;
      mx = max(mx, s);
      seen = true;
    }
    probs[r.probRow + j] = s; // the raw score for now; visibility is recomputed below, not stored
  }
  var total = 0.0;
  for (var j = 0u; j < p.seq; j++) {
    var visible = seen && j <= r.i;
    if (visible && p.hasMask != 0u) {
      visible = keyMask[r.b * p.seq + j] != 0.0;
    }
    var e = 0.0;
    if (visible) {
      e = exp(probs[r.probRow + j] - mx);
    }
    probs[r.probRow + j] = e;
    total += e;
  }
  let inv = select(0.0, 1.0 / total, seen);
  for (var j = 0u; j < p.seq; j++) {
    probs[r.probRow + j] *= inv;
  }
  for (var d = 0u; d < p.headDim; d++) {
    var acc = 0.0;
    for (var j = 0u; j <= r.i; j++) {
      acc += probs[r.probRow + j] * fqkv[r.base + j * ld + 2u * D + d];
    }
    ctx[r.ctxBase + r.i * D + d] = acc;
  }
}

@compute @workgroup_size(WG)
fn attention_backward_q(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                        @builtin(local_invocation_index) lid: u32) {
  let p = bparams;
  let r = rowOf(wid, nwg, lid, p);
  if (!r.valid) {
    return;
  }
  let D = p.heads * p.headDim;
  let ld = 3u * D;
  let cOff = r.ctxBase + r.i * D;
  var rowDot = 0.0;
  for (var j = 0u; j <= r.i; j++) {
    let vOff = r.base + j * ld + 2u * D;
    var dp = 0.0;
    for (var d = 0u; d < p.headDim; d++) {
      dp += bdctx[cOff + d] * bqkv[vOff + d];
    }
    dscores[r.probRow + j] = dp;
    rowDot += bprobs[r.probRow + j] * dp;
  }
  for (var j = 0u; j < p.seq; j++) {
    var ds = 0.0;
    if (j <= r.i) {
      ds = bprobs[r.probRow + j] * (dscores[r.probRow + j] - rowDot) * p.scale;
    }
    dscores[r.probRow + j] = ds;
  }
  for (var d = 0u; d < p.headDim; d++) {
    var acc = 0.0;
    for (var j = 0u; j <= r.i; j++) {
      acc += dscores[r.probRow + j] * bqkv[r.base + j * ld + D + d];
    }
    dqkv[r.base + r.i * ld + d] = acc;
  }
}

@compute @workgroup_size(WG)
fn attention_backward_kv(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                         @builtin(local_invocation_index) lid: u32) {
  let p = bparams;
  let r = rowOf(wid, nwg, lid, p); // r.i is the key position j here
  if (!r.valid) {
    return;
  }
  let D = p.heads * p.headDim;
  let ld = 3u * D;
  let j = r.i;
  let headRow0 = r.probRow - j * p.seq; // probs row of query 0 of this (batch, head)
  for (var d = 0u; d < p.headDim; d++) {
    var accK = 0.0;
    var accV = 0.0;
    for (var i = j; i < p.seq; i++) {
      let at = headRow0 + i * p.seq + j;
      accK += kdscores[at] * bqkv[r.base + i * ld + d];
      accV += bprobs[at] * bdctx[r.ctxBase + i * D + d];
    }
    dqkv[r.base + j * ld + D + d] = accK;
    dqkv[r.base + j * ld + 2u * D + d] = accV;
  }
}

// ---- the vec4 twins of the three attention kernels, used when headDim is a multiple of 4 and at most
// 4·MAX_D4 (the model's heads are): the same maths and outputs, but the thread's own row (q, or dC) and
// its accumulators sit in registers as vec4s, and K, V, Q, dC rows are read 4 floats per load. On
// SwiftShader (a CPU) the scalar kernels spend their time on per-lane global loads, re-reading q and
// the probs row for every output column; these read each input once per (row, key) pair.
const MAX_D4 = 16u;
/** headDim / 4, fixed per pipeline so the compiler can unroll the row loops and keep the rows in registers. */
override HD4: u32 = 1u;

@group(0) @binding(0) var<storage, read> vqkv: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> vctx: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> vdctx: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> vdqkv: array<vec4<f32>>;

@compute @workgroup_size(WG)
fn attention_forward_vec4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                          @builtin(local_invocation_index) lid: u32) {
  let p = fparams;
  let r = rowOf(wid, nwg, lid, p);
  if (!r.valid) {
    return;
  }
  let D = p.heads * p.headDim;
  let ld4 = 3u * D / 4u;
  let d4n = HD4;
  let base4 = r.base / 4u;
  var q: array<vec4<f32>, MAX_D4>;
  var acc: array<vec4<f32>, MAX_D4>;
  let qOff = base4 + r.i * ld4;
  for (var d = 0u; d < d4n; d++) {
    q[d] = vqkv[qOff + d] * p.scale;
    acc[d] = vec4<f32>(0.0);
  }
  // Scores of the visible keys j ≤ i (raw, into the probs row) and their max.
  var mx = -3.0e38;
  var seen = false;
  for (var j = 0u; j <= r.i; j++) {
    var visible = true;
    if (p.hasMask != 0u) {
      visible = keyMask[r.b * p.seq + j] != 0.0;
    }
    var s = 0.0;
    if (visible) {
      let kOff = base4 + j * ld4 + D / 4u;
      var dv = vec4<f32>(0.0);
      for (var d = 0u; d < d4n; d++) {
        dv += q[d] * vqkv[kOff + d];
      }
      s = dv.x + dv.y + dv.z + dv.w;
      mx = max(mx, s);
      seen = true;
    }
    probs[r.probRow + j] = s;
  }
  // exp, their sum, and the unnormalised context Σ e_j V_j in one pass over the visible keys.
  var total = 0.0;
  for (var j = 0u; j <= r.i; j++) {
    var visible = seen;
    if (visible && p.hasMask != 0u) {
      visible = keyMask[r.b * p.seq + j] != 0.0;
    }
    var e = 0.0;
    if (visible) {
      e = exp(probs[r.probRow + j] - mx);
      let vOff = base4 + j * ld4 + 2u * D / 4u;
      for (var d = 0u; d < d4n; d++) {
        acc[d] += e * vqkv[vOff + d];
      }
    }
    probs[r.probRow + j] = e;
    total += e;
  }
  let inv = select(0.0, 1.0 / total, seen);
  for (var j = 0u; j < p.seq; j++) {
    if (j <= r.i) {
      probs[r.probRow + j] *= inv;
    } else {
      probs[r.probRow + j] = 0.0;
    }
  }
  let cOff = r.ctxBase / 4u + r.i * D / 4u;
  for (var d = 0u; d < d4n; d++) {
    vctx[cOff + d] = acc[d] * inv;
  }
}

@compute @workgroup_size(WG)
fn attention_backward_q_vec4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                             @builtin(local_invocation_index) lid: u32) {
  let p = bparams;
  let r = rowOf(wid, nwg, lid, p);
  if (!r.valid) {
    return;
  }
  let D = p.heads * p.headDim;
  let ld4 = 3u * D / 4u;
  let d4n = HD4;
  let base4 = r.base / 4u;
  var dc: array<vec4<f32>, MAX_D4>;
  var acc: array<vec4<f32>, MAX_D4>;
  let cOff = r.ctxBase / 4u + r.i * D / 4u;
  for (var d = 0u; d < d4n; d++) {
    dc[d] = vdctx[cOff + d];
    acc[d] = vec4<f32>(0.0);
  }
  var rowDot = 0.0;
  for (var j = 0u; j <= r.i; j++) {
    let vOff = base4 + j * ld4 + 2u * D / 4u;
    var dv = vec4<f32>(0.0);
    for (var d = 0u; d < d4n; d++) {
      dv += dc[d] * vqkv[vOff + d];
    }
    let dp = dv.x + dv.y + dv.z + dv.w;
    dscores[r.probRow + j] = dp;
    rowDot += bprobs[r.probRow + j] * dp;
  }
  for (var j = 0u; j < p.seq; j++) {
    var ds = 0.0;
    if (j <= r.i) {
      ds = bprobs[r.probRow + j] * (dscores[r.probRow + j] - rowDot) * p.scale;
      let kOff = base4 + j * ld4 + D / 4u;
      for (var d = 0u; d < d4n; d++) {
        acc[d] += ds * vqkv[kOff + d];
      }
    }
    dscores[r.probRow + j] = ds;
  }
  let qOff = base4 + r.i * ld4;
  for (var d = 0u; d < d4n; d++) {
    vdqkv[qOff + d] = acc[d];
  }
}

@compute @workgroup_size(WG)
fn attention_backward_kv_vec4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                              @builtin(local_invocation_index) lid: u32) {
  let p = bparams;
  let r = rowOf(wid, nwg, lid, p); // r.i is the key position j here
  if (!r.valid) {
    return;
  }
  let D = p.heads * p.headDim;
  let ld4 = 3u * D / 4u;
  let d4n = HD4;
  let base4 = r.base / 4u;
  let j = r.i;
  let headRow0 = r.probRow - j * p.seq;
  var accK: array<vec4<f32>, MAX_D4>;
  var accV: array<vec4<f32>, MAX_D4>;
  for (var d = 0u; d < d4n; d++) {
    accK[d] = vec4<f32>(0.0);
    accV[d] = vec4<f32>(0.0);
  }
  for (var i = j; i < p.seq; i++) {
    let at = headRow0 + i * p.seq + j;
    let ds = kdscores[at];
    let pr = bprobs[at];
    let qOff = base4 + i * ld4;
    let cOff = r.ctxBase / 4u + i * D / 4u;
    for (var d = 0u; d < d4n; d++) {
      accK[d] += ds * vqkv[qOff + d];
      accV[d] += pr * vdctx[cOff + d];
    }
  }
  let kOff = base4 + j * ld4 + D / 4u;
  for (var d = 0u; d < d4n; d++) {
    vdqkv[kOff + d] = accK[d];
    vdqkv[kOff + D / 4u + d] = accV[d];
  }
}

@compute @workgroup_size(WG)
fn pack_columns(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                @builtin(local_invocation_index) lid: u32) {
  let t = (wid.y * nwg.x + wid.x) * WG + lid; // an element of one input
  let p = pparams;
  if (t >= p.rows * p.cols) {
    return;
  }
  let r = t / p.cols;
  let c = t % p.cols;
  let o = r * p.n * p.cols + c;
  pout[o] = pin0[t];
  if (p.n > 1u) { pout[o + p.cols] = pin1[t]; }
  if (p.n > 2u) { pout[o + 2u * p.cols] = pin2[t]; }
  if (p.n > 3u) { pout[o + 3u * p.cols] = pin3[t]; }
}

@compute @workgroup_size(WG)
fn unpack_columns(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                  @builtin(local_invocation_index) lid: u32) {
  let t = (wid.y * nwg.x + wid.x) * WG + lid;
  let p = uparams;
  if (t >= p.rows * p.cols) {
    return;
  }
  let r = t / p.cols;
  let c = t % p.cols;
  let o = r * p.n * p.cols + c;
  uout0[t] = uin[o];
  if (p.n > 1u) { uout1[t] = uin[o + p.cols]; }
  if (p.n > 2u) { uout2[t] = uin[o + 2u * p.cols]; }
  if (p.n > 3u) { uout3[t] = uin[o + 3u * p.cols]; }
}
