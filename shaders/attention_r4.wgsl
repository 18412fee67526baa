// The three attention kernels of attention.wgsl's vec4 section for heads of 4, 8, 12 or 16 floats (the
// lab's models: 16), with the thread's row and accumulators in four named vec4 registers instead of
// arrays. Same bindings, maths and outputs as attention_forward_vec4, attention_backward_q_vec4 and
// attention_backward_kv_vec4; the host picks these where headDim allows (kernels/attention.ts).
// Why: an array indexed by a loop counter lives in memory on a software adapter (every access a
// per-lane gather or scatter), and SwiftShader does not unroll the vec4 kernels' row loops; named
// registers made the forward kernel 45 % faster there (bench/trainprof). Components past headDim are
// loaded as zeros and never stored, so the unused registers add multiply-adds of zeros, nothing else.
override WG: u32 = 64;
/** headDim / 4: 1 to 4. */
override HD4: u32 = 4u;

struct Params {
  batch: u32,
  seq: u32,
  heads: u32,
  headDim: u32,
  scale: f32,
  hasMask: u32,
}

// ---- attention_forward_r4
@group(0) @binding(0) var<storage, read> vqkv: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> keyMask: array<f32>;
@group(0) @binding(2) var<storage, read_write> vctx: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> probs: array<f32>;
@group(0) @binding(4) var<uniform> fparams: Params;

// ---- attention_backward_q_r4, attention_backward_kv_r4 (binding 0 is vqkv)
@group(0) @binding(1) var<storage, read> bprobs: array<f32>;
@group(0) @binding(2) var<storage, read> vdctx: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dscores: array<f32>;
@group(0) @binding(3) var<storage, read> kdscores: array<f32>;
@group(0) @binding(4) var<storage, read_write> vdqkv: array<vec4<f32>>;
@group(0) @binding(5) var<uniform> bparams: Params;

/** A head's row (q, k, v, dC) as four vec4s; components past headDim are zero. */
struct R4 {
  a: vec4<f32>,
  b: vec4<f32>,
  c: vec4<f32>,
  d: vec4<f32>,
}

fn zeroR4() -> R4 {
  return R4(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
}

fn qkvRow(off: u32) -> R4 {
  var r = zeroR4();
  r.a = vqkv[off];
  if (HD4 > 1u) { r.b = vqkv[off + 1u]; }
  if (HD4 > 2u) { r.c = vqkv[off + 2u]; }
  if (HD4 > 3u) { r.d = vqkv[off + 3u]; }
  return r;
}

fn dctxRow(off: u32) -> R4 {
  var r = zeroR4();
  r.a = vdctx[off];
  if (HD4 > 1u) { r.b = vdctx[off + 1u]; }
  if (HD4 > 2u) { r.c = vdctx[off + 2u]; }
  if (HD4 > 3u) { r.d = vdctx[off + 3u]; }
  return r;
}

fn dot4(x: R4, y: R4) -> f32 {
  let v = x.a * y.a + x.b * y.b + x.c * y.c + x.d * y.d;
  return v.x + v.y + v.z + v.w;
}

/** acc + s · x */
fn axpy(acc: R4, s: f32, x: R4) -> R4 {
  return R4(acc.a + s * x.a, acc.b + s * x.b, acc.c + s * x.c, acc.d + s * x.d);
}

fn scaled(x: R4, s: f32) -> R4 {
  return R4(x.a * s, x.b * s, x.c * s, x.d * s);
}

fn storeCtx(off: u32, x: R4) {
  vctx[off] = x.a;
  if (HD4 > 1u) { vctx[off + 1u] = x.b; }
  if (HD4 > 2u) { vctx[off + 2u] = x.c; }
  if (HD4 > 3u) { vctx[off + 3u] = x.d; }
}

fn storeDqkv(off: u32, x: R4) {
  vdqkv[off] = x.a;
  if (HD4 > 1u) { vdqkv[off + 1u] = x.b; }
  if (HD4 > 2u) { vdqkv[off + 2u] = x.c; }
  if (HD4 > 3u) { vdqkv[off + 3u] = x.d; }
}

struct Row {
  valid: bool,
  b: u32,
  i: u32,
  /** vec4 offset of the row's head in qkv, without the position: (b·seq·3D + h·dh) / 4. */
  base4: u32,
  /** vec4 offset of the head in the context's [batch·seq, D] layout, without the position. */
  ctx4: u32,
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
  r.base4 = (r.b * p.seq * 3u * D + h * p.headDim) / 4u;
  r.ctx4 = (r.b * p.seq * D + h * p.headDim) / 4u;
  r.probRow = t * p.seq;
  return r;
}

@compute @workgroup_size(WG)
fn attention_forward_r4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                        @builtin(local_invocation_index) lid: u32) {
  let p = fparams;
  let r = rowOf(wid, nwg, lid, p);
  if (!r.valid) {
    return;
  }
  let D4 = p.heads * p.headDim / 4u;
  let ld4 = 3u * D4;
  let q = scaled(qkvRow(r.base4 + r.i * ld4), p.scale);
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
      s = dot4(q, qkvRow(r.base4 + j * ld4 + D4));
      mx = max(mx, s);
      seen = true;
    }
    probs[r.probRow + j] = s;
  }
  // exp, their sum, and the unnormalised context Σ e_j V_j in one pass over the visible keys.
  var total = 0.0;
  var acc = zeroR4();
  for (var j = 0u; j <= r.i; j++) {
    var visible = seen;
    if (visible && p.hasMask != 0u) {
      visible = keyMask[r.b * p.seq + j] != 0.0;
    }
    var e = 0.0;
    if (visible) {
      e = exp(probs[r.probRow + j] - mx);
      acc = axpy(acc, e, qkvRow(r.base4 + j * ld4 + 2u * D4));
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
  storeCtx(r.ctx4 + r.i * D4, scaled(acc, inv));
}

@compute @workgroup_size(WG)
fn attention_backward_q_r4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                           @builtin(local_invocation_index) lid: u32) {
  let p = bparams;
  let r = rowOf(wid, nwg, lid, p);
  if (!r.valid) {
    return;
  }
  let D4 = p.heads * p.headDim / 4u;
  let ld4 = 3u * D4;
  let dc = dctxRow(r.ctx4 + r.i * D4);
  var rowDot = 0.0;
  for (var j = 0u; j <= r.i; j++) {
    let dp = dot4(dc, qkvRow(r.base4 + j * ld4 + 2u * D4));
    dscores[r.probRow + j] = dp;
    rowDot += bprobs[r.probRow + j] * dp;
  }
  var acc = zeroR4();
  for (var j = 0u; j < p.seq; j++) {
    var ds = 0.0;
    if (j <= r.i) {
      ds = bprobs[r.probRow + j] * (dscores[r.probRow + j] - rowDot) * p.scale;
      acc = axpy(acc, ds, qkvRow(r.base4 + j * ld4 + D4));
    }
    dscores[r.probRow + j] = ds;
  }
  storeDqkv(r.base4 + r.i * ld4, acc);
}

@compute @workgroup_size(WG)
fn attention_backward_kv_r4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                            @builtin(local_invocation_index) lid: u32) {
  let p = bparams;
  let r = rowOf(wid, nwg, lid, p); // r.i is the key position j here
  if (!r.valid) {
    return;
  }
  let D4 = p.heads * p.headDim / 4u;
  let ld4 = 3u * D4;
  let j = r.i;
  let headRow0 = r.probRow - j * p.seq;
  var accK = zeroR4();
  var accV = zeroR4();
  for (var i = j; i < p.seq; i++) {
    let at = headRow0 + i * p.seq + j;
    accK = axpy(accK, kdscores[at], qkvRow(r.base4 + i * ld4));
    accV = axpy(accV, bprobs[at], dctxRow(r.ctx4 + i * D4));
  }
  storeDqkv(r.base4 + j * ld4 + D4, accK);
  storeDqkv(r.base4 + j * ld4 + 2u * D4, accV);
}
