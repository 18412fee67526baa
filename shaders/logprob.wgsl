// The RL hot path: fused log-softmax + target gather + full-vocabulary entropy per row at a temperature,
// and its backward. One workgroup per row (row = wid.y * nwg.x + wid.x), threads striding the vocabulary;
// the *_rows entry points give narrow rows (a vocabulary of a few dozen tokens) a thread each instead,
// with the same helpers (first 0, step 1): no barriers or tree steps, which dominate a workgroup's time
// on such rows on a software adapter and leave most of its threads idle on a GPU.
//
// Row statistics in ONE read of the row, with z = logit * invT, m = max z, s = sum exp(z - m) and
// u = sum exp(z - m) * (m - z):
//   lse = m + log s,   log p_j = (z_j - m) - log s,   H = sum p_j (lse - z_j) = log s + u / s.
// Every term of H is >= 0, so there is no cancellation between large numbers (the CPU oracle sums the
// same p_j (lse - z_j)). Each thread keeps (m, s, u) online, rescaling when its max grows
// (s' = a s + 1, u' = a (u + (z - m) s) with a = exp(m - z)); partials merge the same way in a tree.
// -Infinity logits (probability exactly 0) are skipped, never used in arithmetic: 0 * log 0 = 0 in H and
// their gradient is 0. A row with every logit -Infinity has s = 0: logp = -Infinity, H = 0, gradient 0.
// Ignored rows (target < 0) give 0 and a zero gradient. A target >= vocab, which the CPU oracle rejects
// with an error, cannot be reported from a shader: it is treated as an ignored row.
override WG: u32 = 256;

const NEG_FLT_MAX: f32 = bitcast<f32>(0xff7fffffu);
var<private> NEG_INF_BITS: u32 = 0xff800000u; // -Infinity at run time (a const -inf does not compile)

struct Params {
  rows: u32,
  vocab: u32,
  invT: f32,
  hasDentropy: u32,
}

// ---- logprob_forward
@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<i32>;
@group(0) @binding(2) var<storage, read_write> logp: array<f32>;
@group(0) @binding(3) var<storage, read_write> entropy: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

// ---- logprob_backward: logits and targets at the same bindings as above (shared by the helpers)
@group(0) @binding(2) var<storage, read> dlogp: array<f32>;
@group(0) @binding(3) var<storage, read> dentropy: array<f32>; // bound to dlogp when there is none
@group(0) @binding(4) var<storage, read_write> dlogits: array<f32>;
@group(0) @binding(5) var<uniform> gParams: Params;

var<workgroup> redM: array<f32, WG>;
var<workgroup> redS: array<f32, WG>;
var<workgroup> redU: array<f32, WG>;
var<workgroup> rowTarget: i32;

/** Adds z (finite) to the running (m, s, u). exp(-|z - m|) is exp(m - z) when z is the new max and
 *  exp(z - m) otherwise: one exp and selects instead of two branches (SIMD lanes would run both). */
fn accumulate(stats: vec3<f32>, z: f32) -> vec3<f32> {
  if (stats.y == 0.0) {
    return vec3<f32>(z, 1.0, 0.0);
  }
  let d = z - stats.x;
  let e = exp(-abs(d));
  let grow = d > 0.0;
  return vec3<f32>(
    select(stats.x, z, grow),
    select(stats.y + e, e * stats.y + 1.0, grow),
    select(stats.z - e * d, e * (stats.z + d * stats.y), grow),
  );
}

/** Merges two partial (m, s, u); an empty partial (s = 0) passes the other through. */
fn merge(p: vec3<f32>, q: vec3<f32>) -> vec3<f32> {
  if (q.y == 0.0) {
    return p;
  }
  if (p.y == 0.0) {
    return q;
  }
  let m = max(p.x, q.x);
  let a = exp(p.x - m);
  let b = exp(q.x - m);
  return vec3<f32>(m, a * p.y + b * q.y, a * (p.z + (m - p.x) * p.y) + b * (q.z + (m - q.x) * q.y));
}

/** The online (m, s, u) of the finite entries j = first, first + step, … of a row. */
fn rowStats(off: u32, vocab: u32, invT: f32, first: u32, step: u32) -> vec3<f32> {
  var stats = vec3<f32>(0.0, 0.0, 0.0);
  for (var j = first; j < vocab; j += step) {
    let z = logits[off + j] * invT;
    if (z >= NEG_FLT_MAX) {
      stats = accumulate(stats, z);
    }
  }
  return stats;
}

/** (m, s, u) of the row from each thread's partial, returned to every thread. */
fn reduceStats(lid: u32, local: vec3<f32>) -> vec3<f32> {
  redM[lid] = local.x;
  redS[lid] = local.y;
  redU[lid] = local.z;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      let merged = merge(vec3<f32>(redM[lid], redS[lid], redU[lid]), vec3<f32>(redM[lid + stride], redS[lid + stride], redU[lid + stride]));
      redM[lid] = merged.x;
      redS[lid] = merged.y;
      redU[lid] = merged.z;
    }
    workgroupBarrier();
  }
  return vec3<f32>(redM[0], redS[0], redU[0]);
}

fn isIgnored(t: i32, vocab: u32) -> bool {
  return t < 0 || u32(t) >= vocab;
}

/** logp and entropy of a (not ignored) row with target t from its statistics. */
fn writeForward(row: u32, off: u32, t: i32, stats: vec3<f32>) {
  let negInf = bitcast<f32>(NEG_INF_BITS);
  if (stats.y == 0.0) {
    logp[row] = negInf; // every probability is 0, the target's included
    entropy[row] = 0.0;
    return;
  }
  let logS = log(stats.y);
  let zt = logits[off + u32(t)] * params.invT;
  // (z_t - m) - log s: both terms <= 0, no cancellation against a large max.
  logp[row] = select(negInf, (zt - stats.x) - logS, zt >= NEG_FLT_MAX);
  entropy[row] = logS + stats.z / stats.y;
}

@compute @workgroup_size(WG)
fn logprob_forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                   @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= params.rows) {
    return; // uniform per workgroup
  }
  if (lid == 0u) {
    rowTarget = targets[row];
  }
  let t = workgroupUniformLoad(&rowTarget); // uniform, so an ignored row can leave as a whole
  if (isIgnored(t, params.vocab)) {
    if (lid == 0u) {
      logp[row] = 0.0;
      entropy[row] = 0.0;
    }
    return;
  }
  let off = row * params.vocab;
  let stats = reduceStats(lid, rowStats(off, params.vocab, params.invT, lid, WG));
  if (lid == 0u) {
    writeForward(row, off, t, stats);
  }
}

/** One thread per row (narrow rows): no barriers, no tree. */
@compute @workgroup_size(WG)
fn logprob_forward_rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                        @builtin(local_invocation_index) lid: u32) {
  let row = (wid.y * nwg.x + wid.x) * WG + lid;
  if (row >= params.rows) {
    return;
  }
  let t = targets[row];
  if (isIgnored(t, params.vocab)) {
    logp[row] = 0.0;
    entropy[row] = 0.0;
    return;
  }
  let off = row * params.vocab;
  writeForward(row, off, t, rowStats(off, params.vocab, params.invT, 0u, 1u));
}

/** Entries j = first, first + step, … of an ignored row's gradient: zeros. */
fn writeZeroGrad(off: u32, first: u32, step: u32) {
  for (var j = first; j < gParams.vocab; j += step) {
    dlogits[off + j] = 0.0;
  }
}

// dlogits_j = invT * (dlogp * (onehot_j - p_j) - dentropy * p_j * (log p_j + H)); 0 where p_j = 0.
/** Entries j = first, first + step, … of the gradient of a (not ignored) row with target t. */
fn writeGrad(row: u32, off: u32, t: i32, stats: vec3<f32>, first: u32, step: u32) {
  let vocab = gParams.vocab;
  let invT = gParams.invT;
  let m = stats.x;
  let s = stats.y;
  let gl = dlogp[row];
  let ge = select(0.0, dentropy[row], gParams.hasDentropy != 0u);
  var logS = 0.0;
  var invS = 0.0;
  var h = 0.0;
  if (s > 0.0) {
    logS = log(s);
    invS = 1.0 / s;
    h = logS + stats.z * invS;
  }
  for (var j = first; j < vocab; j += step) {
    let z = logits[off + j] * invT;
    var g = 0.0;
    if (s > 0.0 && z >= NEG_FLT_MAX) {
      let lp = (z - m) - logS;
      let p = exp(z - m) * invS;
      g = invT * (gl * (select(0.0, 1.0, j == u32(t)) - p) - ge * p * (lp + h));
    }
    dlogits[off + j] = g;
  }
}

@compute @workgroup_size(WG)
fn logprob_backward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                    @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= gParams.rows) {
    return; // uniform per workgroup
  }
  if (lid == 0u) {
    rowTarget = targets[row];
  }
  let t = workgroupUniformLoad(&rowTarget);
  let vocab = gParams.vocab;
  let off = row * vocab;
  if (isIgnored(t, vocab)) {
    writeZeroGrad(off, lid, WG);
    return;
  }
  writeGrad(row, off, t, reduceStats(lid, rowStats(off, vocab, gParams.invT, lid, WG)), lid, WG);
}

@compute @workgroup_size(WG)
fn logprob_backward_rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                         @builtin(local_invocation_index) lid: u32) {
  let row = (wid.y * nwg.x + wid.x) * WG + lid;
  if (row >= gParams.rows) {
    return;
  }
  let t = targets[row];
  let vocab = gParams.vocab;
  let off = row * vocab;
  if (isIgnored(t, vocab)) {
    writeZeroGrad(off, 0u, 1u);
    return;
  }
  writeGrad(row, off, t, rowStats(off, vocab, gParams.invT, 0u, 1u), 0u, 1u);
}
