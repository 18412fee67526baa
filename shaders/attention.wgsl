// Causal multi-head attention over projected q, k, v in their [batch·seq, heads·headDim] layout
// (Backend.attention), heads read by strides and the context written merged; CPU oracle:
// src/engine/backend/cpu/attention.ts. Masking as softmax.wgsl: a query i sees keys j ≤ i whose
// keyMask is not 0, the max is over visible scores, and a query that sees nothing gets zeros.
//
// attention_forward: a thread per (batch, head, query): scores into the probs row (global memory, kept
//   for the backward), their softmax in place, then the context as probs·V.
// attention_backward_q: a thread per (batch, head, query i): dP_ij = dC_i·V_j, dS_ij = P_ij (dP_ij −
//   Σ_j P_ij dP_ij)·scale into a scratch row, and dQ_i = Σ_j dS_ij K_j.
// attention_backward_kv: a thread per (batch, head, key j): dK_j = Σ_i dS_ij Q_i, dV_j = Σ_i P_ij dC_i.
// Sequences are short (the model's context), so each thread's loops are a few hundred multiply-adds.
override WG: u32 = 64;

struct Params {
  batch: u32,
  seq: u32,
  heads: u32,
  headDim: u32,
  scale: f32,
  hasMask: u32,
}

// ---- attention_forward
@group(0) @binding(0) var<storage, read> fq: array<f32>;
@group(0) @binding(1) var<storage, read> fk: array<f32>;
@group(0) @binding(2) var<storage, read> fv: array<f32>;
@group(0) @binding(3) var<storage, read> keyMask: array<f32>;
@group(0) @binding(4) var<storage, read_write> ctx: array<f32>;
@group(0) @binding(5) var<storage, read_write> probs: array<f32>;
@group(0) @binding(6) var<uniform> fparams: Params;

// ---- attention_backward_q
@group(0) @binding(0) var<storage, read> bk: array<f32>;
@group(0) @binding(1) var<storage, read> bv: array<f32>;
@group(0) @binding(2) var<storage, read> bprobs: array<f32>;
@group(0) @binding(3) var<storage, read> bdctx: array<f32>;
@group(0) @binding(4) var<storage, read_write> dscores: array<f32>;
@group(0) @binding(5) var<storage, read_write> dq: array<f32>;
@group(0) @binding(6) var<uniform> bparams: Params;

// ---- attention_backward_kv
@group(0) @binding(0) var<storage, read> kq: array<f32>;
@group(0) @binding(1) var<storage, read> kprobs: array<f32>;
@group(0) @binding(2) var<storage, read> kdctx: array<f32>;
@group(0) @binding(3) var<storage, read> kdscores: array<f32>;
@group(0) @binding(4) var<storage, read_write> dk: array<f32>;
@group(0) @binding(5) var<storage, read_write> dv: array<f32>;
@group(0) @binding(6) var<uniform> kparams: Params;

struct Row {
  valid: bool,
  b: u32,
  h: u32,
  i: u32,
  /** Offset of the row's head in the [batch·seq, D] layout, without the position: b·seq·D + h·dh. */
  base: u32,
  /** Offset of its probs row: ((b·heads + h)·seq + i)·seq. */
  probRow: u32,
}

fn rowOf(wid: vec3<u32>, nwg: vec3<u32>, lid: u32, p: Params) -> Row {
  let t = (wid.y * nwg.x + wid.x) * WG + lid;
  var r: Row;
  r.valid = t < p.batch * p.heads * p.seq;
  r.i = t % p.seq;
  r.h = (t / p.seq) % p.heads;
  r.b = t / (p.seq * p.heads);
  r.base = r.b * p.seq * p.heads * p.headDim + r.h * p.headDim;
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
  let qOff = r.base + r.i * D;
  var mx = -3.4028235e38;
  var seen = false;
  for (var j = 0u; j < p.seq; j++) {
    var visible = j <= r.i;
    if (visible && p.hasMask != 0u) {
      visible = keyMask[r.b * p.seq + j] != 0.0;
    }
    var s = 0.0;
    if (visible) {
      let kOff = r.base + j * D;
      var dot = 0.0;
      for (var d = 0u; d < p.headDim; d++) {
        dot += fq[qOff + d] * fk[kOff + d];
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
      acc += probs[r.probRow + j] * fv[r.base + j * D + d];
    }
    ctx[qOff + d] = acc;
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
  let iOff = r.base + r.i * D;
  var rowDot = 0.0;
  for (var j = 0u; j <= r.i; j++) {
    let jOff = r.base + j * D;
    var dp = 0.0;
    for (var d = 0u; d < p.headDim; d++) {
      dp += bdctx[iOff + d] * bv[jOff + d];
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
      acc += dscores[r.probRow + j] * bk[r.base + j * D + d];
    }
    dq[iOff + d] = acc;
  }
}

@compute @workgroup_size(WG)
fn attention_backward_kv(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                         @builtin(local_invocation_index) lid: u32) {
  let p = kparams;
  let r = rowOf(wid, nwg, lid, p); // r.i is the key position j here
  if (!r.valid) {
    return;
  }
  let D = p.heads * p.headDim;
  let j = r.i;
  let headRows = (r.b * p.heads + r.h) * p.seq; // first probs row of this (batch, head)
  for (var d = 0u; d < p.headDim; d++) {
    var accK = 0.0;
    var accV = 0.0;
    for (var i = j; i < p.seq; i++) {
      let at = (headRows + i) * p.seq + j;
      let iOff = r.base + i * D + d;
      accK += kdscores[at] * kq[iOff];
      accV += kprobs[at] * kdctx[iOff];
    }
    dk[r.base + j * D + d] = accK;
    dv[r.base + j * D + d] = accV;
  }
}
