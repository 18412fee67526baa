// One pre-LayerNorm GPT block for one new token per generation row (Backend.decodeLayer): the whole
// block in one dispatch, one workgroup per row (row = wid.y * nwg.x + wid.x), the row's activations in
// workgroup memory and the weights read from one packed buffer. In order, with a barrier between steps:
//   x → LN1 → q, k, v (q scaled by 1/√dh) → k, v into the caches at `column`
//     → per head: scores of q against the row's visible keys (columns rowStart .. column), softmax,
//       context = Σ p · value → x += context · Wo
//     → LN2 → gelu(· W1 + b1) → x += · W2 + b2 → x written back.
// Each matrix-vector product gives thread j the outputs j, j + WG, …, reading a weight row-major, so
// neighbouring threads read neighbouring weights. The CPU oracle is src/engine/backend/cpu/decode.ts;
// generateFused.gpu.test.ts checks this kernel against the unfused ops.
// The key and value of the current column are taken from workgroup memory, not re-read from the
// caches this dispatch writes (no storage barrier needed).
override WG: u32 = 64; // a power of two (tree reductions)
override D: u32 = 64; // model width
override H: u32 = 4; // heads
override F: u32 = 256; // MLP width
override CTX: u32 = 48; // longest cache: scratch for one row's scores
override D3: u32 = 192; // 3 * D (workgroup arrays are sized by a single override)
override HCTX: u32 = 192; // H * CTX

struct Params {
  rows: u32,
  cacheLen: u32,
  column: u32,
  eps: f32,
  qScale: f32,
}

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> keys: array<f32>;
@group(0) @binding(3) var<storage, read_write> values: array<f32>;
@group(0) @binding(4) var<storage, read> rowStart: array<i32>;
@group(0) @binding(5) var<uniform> params: Params;

var<workgroup> xs: array<f32, D>; // the residual stream
var<workgroup> hs: array<f32, D>; // LN1, then LN2 output
var<workgroup> qkv: array<f32, D3>;
var<workgroup> att: array<f32, HCTX>; // scores, then probabilities, [H, CTX]
var<workgroup> ctxv: array<f32, D>;
var<workgroup> hid: array<f32, F>;
var<workgroup> red: array<f32, WG>;

const GELU_C: f32 = 0.7978845608028654; // sqrt(2 / pi)
const GELU_A: f32 = 0.044715;

/** gelu(v) = 0.5 v (1 + tanh u) = v * sigmoid(2u), as shaders/elementwise.wgsl evaluates it. */
fn gelu(v: f32) -> f32 {
  let a = 2.0 * GELU_C * (v + GELU_A * v * v * v);
  let e = exp(-abs(a));
  return v * select(e, 1.0, a >= 0.0) / (1.0 + e);
}

/** The workgroup's sum of `local`, returned to every thread (red is free again on return). */
fn wgSum(lid: u32, local: f32) -> f32 {
  red[lid] = local;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      red[lid] = red[lid] + red[lid + stride];
    }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier();
  return total;
}

/** hs = LayerNorm(xs) with the gain and bias at w[g ..] and w[b ..]: two passes, biased variance. */
fn layerNorm(lid: u32, g: u32, b: u32) {
  var s = 0.0;
  for (var i = lid; i < D; i += WG) {
    s += xs[i];
  }
  let mean = wgSum(lid, s) / f32(D);
  var v = 0.0;
  for (var i = lid; i < D; i += WG) {
    let d = xs[i] - mean;
    v += d * d;
  }
  let rstd = 1.0 / sqrt(wgSum(lid, v) / f32(D) + params.eps);
  for (var i = lid; i < D; i += WG) {
    hs[i] = (xs[i] - mean) * rstd * w[g + i] + w[b + i];
  }
  workgroupBarrier();
}

@compute @workgroup_size(WG)
fn decode_layer(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= params.rows) {
    return; // uniform per workgroup
  }
  // Offsets of the packed weights (src/engine/backend/decode.ts, decodeLayerOffsets).
  let oLn1g = 0u;
  let oLn1b = D;
  let oWq = 2u * D;
  let oWo = oWq + 3u * D * D;
  let oLn2g = oWo + D * D;
  let oLn2b = oLn2g + D;
  let oW1 = oLn2b + D;
  let oB1 = oW1 + D * F;
  let oW2 = oB1 + F;
  let oB2 = oW2 + F * D;
  let L = params.cacheLen;
  let col = params.column;
  let dh = D / H;

  for (var i = lid; i < D; i += WG) {
    xs[i] = x[row * D + i];
  }
  workgroupBarrier();
  layerNorm(lid, oLn1g, oLn1b);

  // ---- q, k, v: output j of the [D, 3D] product of h with Wq | Wk | Wv (packed one after another)
  for (var j = lid; j < 3u * D; j += WG) {
    let which = j / D;
    let base = oWq + which * D * D + (j % D);
    var acc = 0.0;
    for (var i = 0u; i < D; i++) {
      acc += hs[i] * w[base + i * D];
    }
    qkv[j] = select(acc, acc * params.qScale, which == 0u);
  }
  workgroupBarrier();

  // ---- the new key and value into the caches ([rows * H, L, dh])
  for (var j = lid; j < D; j += WG) {
    let at = ((row * H + j / dh) * L + col) * dh + (j % dh);
    keys[at] = qkv[D + j];
    values[at] = qkv[2u * D + j];
  }

  // ---- scores of the visible columns start .. col, per head
  let start = u32(max(rowStart[row], 0));
  for (var p = lid; p < H * L; p += WG) {
    let hd = p / L;
    let c = p % L;
    if (c >= start && c <= col) {
      var s = 0.0;
      if (c == col) {
        for (var e = 0u; e < dh; e++) {
          s += qkv[hd * dh + e] * qkv[D + hd * dh + e];
        }
      } else {
        let kb = ((row * H + hd) * L + c) * dh;
        for (var e = 0u; e < dh; e++) {
          s += qkv[hd * dh + e] * keys[kb + e];
        }
      }
      att[hd * CTX + c] = s;
    }
  }
  workgroupBarrier();

  // ---- softmax per head (a head's columns are few: one thread walks them)
  for (var hd = lid; hd < H; hd += WG) {
    var m = att[hd * CTX + col]; // the current column is always visible
    for (var c = start; c < col; c++) {
      m = max(m, att[hd * CTX + c]);
    }
    var sum = 0.0;
    for (var c = start; c <= col; c++) {
      let e = exp(att[hd * CTX + c] - m);
      att[hd * CTX + c] = e;
      sum += e;
    }
    let inv = 1.0 / sum;
    for (var c = start; c <= col; c++) {
      att[hd * CTX + c] = att[hd * CTX + c] * inv;
    }
  }
  workgroupBarrier();

  // ---- context = Σ_c p_c · value_c, per head
  for (var j = lid; j < D; j += WG) {
    let hd = j / dh;
    let e = j % dh;
    let vb = (row * H + hd) * L * dh + e;
    var acc = att[hd * CTX + col] * qkv[2u * D + j];
    for (var c = start; c < col; c++) {
      acc += att[hd * CTX + c] * values[vb + c * dh];
    }
    ctxv[j] = acc;
  }
  workgroupBarrier();

  // ---- x += context · Wo
  for (var j = lid; j < D; j += WG) {
    var acc = 0.0;
    for (var i = 0u; i < D; i++) {
      acc += ctxv[i] * w[oWo + i * D + j];
    }
    xs[j] = xs[j] + acc;
  }
  workgroupBarrier();
  layerNorm(lid, oLn2g, oLn2b);

  // ---- hidden = gelu(h · W1 + b1)
  for (var j = lid; j < F; j += WG) {
    var acc = 0.0;
    for (var i = 0u; i < D; i++) {
      acc += hs[i] * w[oW1 + i * F + j];
    }
    hid[j] = gelu(acc + w[oB1 + j]);
  }
  workgroupBarrier();

  // ---- x += hidden · W2 + b2, written back
  for (var j = lid; j < D; j += WG) {
    var acc = 0.0;
    for (var i = 0u; i < F; i++) {
      acc += hid[i] * w[oW2 + i * D + j];
    }
    x[row * D + j] = xs[j] + (acc + w[oB2 + j]);
  }
}
