// One pre-LayerNorm GPT block for one new token per generation row (Backend.decodeLayer): the whole
// block in one dispatch. A workgroup takes FOUR rows (rows 4g .. 4g+3, g = wid.y * nwg.x + wid.x),
// held as the four lanes of vec4s in workgroup memory, so every weight read from the packed buffer
// feeds four rows (one vec4 multiply-add) — the register blocking a matmul would do:
//   x → LN1 → q, k, v (q scaled by 1/√dh) → k, v into the caches at `column`
//     → per (row, head): scores of q against the row's visible keys (columns rowStart .. column),
//       softmax, context = Σ p · value → x += context · Wo
//     → LN2 → gelu(· W1 + b1) → x += · W2 + b2 → x written back.
// Seven barriers, no tree reductions (on a software adapter every barrier switches between all the
// emulated invocations): each thread takes the layer norms' statistics itself, and each (row, head)
// pair's attention is one thread's. Each matrix-vector product gives thread j the outputs j, j + WG, …,
// reading a weight row-major, so neighbouring threads read neighbouring weights. The key and value of
// the current column are taken from workgroup memory, not re-read from the caches this dispatch writes.
// Lanes past the last row compute on zeros and are never written.
// The CPU oracle is src/engine/backend/cpu/decode.ts; generateFused*.test.ts check both against the
// unfused ops.
override WG: u32 = 32;
override D: u32 = 64; // model width
override H: u32 = 4; // heads
override F: u32 = 256; // MLP width
override CTX: u32 = 48; // longest cache: scratch for one row's scores
override D3: u32 = 192; // 3 * D (workgroup arrays are sized by a single override)
override D4: u32 = 256; // 4 * D
override HCTX4: u32 = 768; // 4 * H * CTX

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

var<workgroup> xs: array<vec4<f32>, D>; // the residual stream, lane r = row 4g + r
var<workgroup> hs: array<vec4<f32>, D>; // LN1, then LN2 output
var<workgroup> qkv: array<vec4<f32>, D3>;
var<workgroup> att: array<f32, HCTX4>; // [row lane, head, CTX] attention weights
var<workgroup> ctxs: array<f32, D4>; // [row lane, D] attention context (one thread writes a (row, head))
var<workgroup> hid: array<vec4<f32>, F>;

const GELU_C: f32 = 0.7978845608028654; // sqrt(2 / pi)
const GELU_A: f32 = 0.044715;

/** gelu(v) = 0.5 v (1 + tanh u) = v * sigmoid(2u), as shaders/elementwise.wgsl evaluates it. */
fn gelu(v: vec4<f32>) -> vec4<f32> {
  let a = 2.0 * GELU_C * (v + GELU_A * v * v * v);
  let e = exp(-abs(a));
  return v * select(e, vec4<f32>(1.0), a >= vec4<f32>(0.0)) / (1.0 + e);
}

/** hs = LayerNorm(xs) per lane with the gain and bias at w[g ..] and w[b ..]: two passes, biased
 *  variance, the statistics taken by every thread. Ends with a barrier. */
fn layerNorm(lid: u32, g: u32, b: u32) {
  var s = vec4<f32>(0.0);
  for (var i = 0u; i < D; i++) {
    s += xs[i];
  }
  let mean = s / f32(D);
  var v = vec4<f32>(0.0);
  for (var i = 0u; i < D; i++) {
    let d = xs[i] - mean;
    v += d * d;
  }
  let rstd = 1.0 / sqrt(v / f32(D) + params.eps);
  for (var i = lid; i < D; i += WG) {
    hs[i] = (xs[i] - mean) * rstd * w[g + i] + w[b + i];
  }
  workgroupBarrier();
}

@compute @workgroup_size(WG)
fn decode_layer(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                @builtin(local_invocation_index) lid: u32) {
  let row0 = (wid.y * nwg.x + wid.x) * 4u;
  if (row0 >= params.rows) {
    return; // uniform per workgroup
  }
  let lanes = min(4u, params.rows - row0);
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
    var v = vec4<f32>(0.0);
    for (var r = 0u; r < lanes; r++) {
      v[r] = x[(row0 + r) * D + i];
    }
    xs[i] = v;
  }
  workgroupBarrier();
  layerNorm(lid, oLn1g, oLn1b);

  // ---- q, k, v: output j of the [D, 3D] product of h with Wq | Wk | Wv (packed one after another)
  for (var j = lid; j < 3u * D; j += WG) {
    let which = j / D;
    let base = oWq + which * D * D + (j % D);
    var acc = vec4<f32>(0.0);
    for (var i = 0u; i < D; i++) {
      acc += hs[i] * w[base + i * D];
    }
    qkv[j] = select(acc, acc * params.qScale, which == 0u);
  }
  workgroupBarrier();

  // ---- the new keys and values into the caches ([rows * H, L, dh])
  for (var p = lid; p < lanes * D; p += WG) {
    let r = p / D;
    let j = p % D;
    let at = (((row0 + r) * H + j / dh) * L + col) * dh + (j % dh);
    keys[at] = qkv[D + j][r];
    values[at] = qkv[2u * D + j][r];
  }

  // ---- attention, a (row, head) per thread: scores of the visible columns, softmax, context
  for (var p = lid; p < lanes * H; p += WG) {
    let r = p / H;
    let hd = p % H;
    let start = u32(max(rowStart[row0 + r], 0));
    let q = hd * dh;
    let cache = ((row0 + r) * H + hd) * L * dh;
    let a = p * CTX;
    var m = 0.0;
    for (var c = start; c <= col; c++) {
      var s = 0.0;
      if (c == col) {
        for (var e = 0u; e < dh; e++) {
          s += qkv[q + e][r] * qkv[D + q + e][r];
        }
      } else {
        for (var e = 0u; e < dh; e++) {
          s += qkv[q + e][r] * keys[cache + c * dh + e];
        }
      }
      att[a + c] = s;
      m = select(max(m, s), s, c == start);
    }
    var sum = 0.0;
    for (var c = start; c <= col; c++) {
      let e = exp(att[a + c] - m);
      att[a + c] = e;
      sum += e;
    }
    let inv = 1.0 / sum;
    for (var e = 0u; e < dh; e++) {
      var acc = 0.0;
      for (var c = start; c < col; c++) {
        acc += (att[a + c] * inv) * values[cache + c * dh + e];
      }
      ctxs[r * D + q + e] = acc + (att[a + col] * inv) * qkv[2u * D + q + e][r];
    }
  }
  workgroupBarrier();

  // ---- x += context · Wo (lanes past the last row compute on stale context; they are never written)
  for (var j = lid; j < D; j += WG) {
    var acc = vec4<f32>(0.0);
    for (var i = 0u; i < D; i++) {
      let c = vec4<f32>(ctxs[i], ctxs[D + i], ctxs[2u * D + i], ctxs[3u * D + i]);
      acc += c * w[oWo + i * D + j];
    }
    xs[j] = xs[j] + acc;
  }
  workgroupBarrier();
  layerNorm(lid, oLn2g, oLn2b);

  // ---- hidden = gelu(h · W1 + b1)
  for (var j = lid; j < F; j += WG) {
    var acc = vec4<f32>(0.0);
    for (var i = 0u; i < D; i++) {
      acc += hs[i] * w[oW1 + i * F + j];
    }
    hid[j] = gelu(acc + w[oB1 + j]);
  }
  workgroupBarrier();

  // ---- x += hidden · W2 + b2, written back for the real rows
  for (var j = lid; j < D; j += WG) {
    var acc = vec4<f32>(0.0);
    for (var i = 0u; i < F; i++) {
      acc += hid[i] * w[oW2 + i * D + j];
    }
    let out = xs[j] + (acc + w[oB2 + j]);
    for (var r = 0u; r < lanes; r++) {
      x[(row0 + r) * D + j] = out[r];
    }
  }
}
