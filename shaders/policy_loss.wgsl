// The fused clipped policy-gradient loss (Backend.policyLoss) and its gradient; the CPU oracle is
// src/engine/backend/cpu/policyLoss.ts and the op-by-op reference src/rl/policyLoss.ts. Per token:
//   ρ = exp(clamp(logp − old, ±20)); A_w = A or λ+·relu(A) − λ−·relu(−A);
//   ℓ = max(−A_w·ρ, −A_w·clamp(ρ, lo, hi)), then min(ℓ, c·|A_w|) with the dual clip (c > 0).
// Ties pass the gradient as the engine's ops do: max/min to their first argument, clamp where lo ≤ x ≤ hi.
//
// One workgroup does everything, each thread a strided share of the tokens: the loss needs the masked
// token count (a reduction over the whole batch) and the metrics are reductions too, so one launch does
// the per-token values and the sums together. A batch is a few thousand tokens, a few per thread.
override WG: u32 = 256;

struct Params {
  count: u32,
  cols: u32,
  advCols: u32,
  hasOld: u32,
  clipLow: f32,
  clipHigh: f32,
  dualClip: f32,
  positiveWeight: f32,
  negativeWeight: f32,
  hasPerToken: u32,
  hasLoss: u32,
}

// ---- policy_loss_forward
@group(0) @binding(0) var<storage, read> logp: array<f32>;
@group(0) @binding(1) var<storage, read> oldLogp: array<f32>;
@group(0) @binding(2) var<storage, read> adv: array<f32>;
@group(0) @binding(3) var<storage, read> mask: array<f32>;
@group(0) @binding(4) var<storage, read_write> perToken: array<f32>;
@group(0) @binding(5) var<storage, read_write> loss: array<f32>;
@group(0) @binding(6) var<storage, read_write> metrics: array<f32>;
@group(0) @binding(7) var<uniform> params: Params;

// ---- policy_loss_backward (bindings 0-3 as above)
@group(0) @binding(4) var<storage, read> dPerToken: array<f32>;
@group(0) @binding(5) var<storage, read> dLoss: array<f32>;
@group(0) @binding(6) var<storage, read_write> dlogp: array<f32>;

var<workgroup> sumsA: array<vec4<f32>, WG>;
var<workgroup> sumsB: array<vec2<f32>, WG>;

struct Terms {
  loss: f32,
  grad: f32,
  low: f32,
  high: f32,
  dual: f32,
}

fn terms(i: u32) -> Terms {
  let lp = logp[i];
  var old = lp;
  if (params.hasOld != 0u) {
    old = oldLogp[i];
  }
  var a: f32;
  if (params.advCols == 1u) {
    a = adv[i / params.cols];
  } else {
    a = adv[i];
  }
  let d = lp - old;
  let inRange = d >= -20.0 && d <= 20.0;
  let ratio = exp(clamp(d, -20.0, 20.0));
  var w = a;
  if (params.positiveWeight != 1.0 || params.negativeWeight != 1.0) {
    w = max(a, 0.0) * params.positiveWeight - max(-a, 0.0) * params.negativeWeight;
  }
  let lo = 1.0 - params.clipLow;
  let hi = 1.0 + params.clipHigh;
  let unclipped = -(w * ratio);
  let clipped = -(w * clamp(ratio, lo, hi));
  let takeUnclipped = unclipped - clipped >= 0.0;
  var pg = clipped;
  var dPg = select(0.0, -w, ratio >= lo && ratio <= hi);
  if (takeUnclipped) {
    pg = unclipped;
    dPg = -w;
  }
  var t: Terms;
  t.loss = pg;
  t.dual = 0.0;
  if (params.dualClip > 0.0) {
    let bound = abs(w) * params.dualClip;
    if (pg - bound > 0.0) {
      t.loss = bound;
      t.dual = 1.0;
      dPg = 0.0;
    }
  }
  t.grad = select(0.0, dPg * ratio, inRange);
  t.low = select(0.0, 1.0, a < 0.0 && lo - ratio > 0.0);
  t.high = select(0.0, 1.0, a > 0.0 && ratio - hi > 0.0);
  return t;
}

@compute @workgroup_size(WG)
fn policy_loss_forward(@builtin(local_invocation_index) lid: u32) {
  var a = vec4<f32>(0.0); // Σ m·ℓ, Σ m·low, Σ m·high, Σ m·dual
  var m = 0.0;
  for (var i = lid; i < params.count; i += WG) {
    let t = terms(i);
    perToken[i] = t.loss;
    let w = mask[i];
    a += w * vec4<f32>(t.loss, t.low, t.high, t.dual);
    m += w;
  }
  sumsA[lid] = a;
  sumsB[lid] = vec2<f32>(m, 0.0);
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      sumsA[lid] += sumsA[lid + stride];
      sumsB[lid] += sumsB[lid + stride];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let s = sumsA[0];
    let n = max(sumsB[0].x, 1.0);
    loss[0] = s.x / n;
    metrics[0] = s.y / n;
    metrics[1] = s.z / n;
    metrics[2] = (s.y + s.z) / n;
    metrics[3] = s.w / n;
  }
}

@compute @workgroup_size(WG)
fn policy_loss_backward(@builtin(local_invocation_index) lid: u32) {
  var perMasked = 0.0;
  if (params.hasLoss != 0u) {
    var m = 0.0;
    for (var i = lid; i < params.count; i += WG) {
      m += mask[i];
    }
    sumsB[lid] = vec2<f32>(m, 0.0);
    workgroupBarrier();
    for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
      if (lid < stride) {
        sumsB[lid] += sumsB[lid + stride];
      }
      workgroupBarrier();
    }
    perMasked = dLoss[0] / max(sumsB[0].x, 1.0);
  }
  for (var i = lid; i < params.count; i += WG) {
    var up = perMasked * mask[i];
    if (params.hasPerToken != 0u) {
      up += dPerToken[i];
    }
    var g = 0.0;
    if (up != 0.0) {
      g = up * terms(i).grad;
    }
    dlogp[i] = g;
  }
}
