// decode_layer.wgsl's block (Backend.decodeLayer: one pre-LayerNorm GPT block for one new token per
// generation row, the whole block in one dispatch) for models whose widths are multiples of 4
// (dModel, the MLP width and the head width): the weights and the caches are read as vec4s and every
// matrix-vector product is register-blocked 4 rows × 4 columns.
//
// A workgroup takes FOUR rows (4g .. 4g+3, g = wid.y * nwg.x + wid.x), held as the lanes of vec4s in
// workgroup memory (xs, hs, hid: element i of the four rows). Each thread pass computes CB column blocks
// of 4 (the thread's CB·t, …, then CB·(t + WG), …): per input i it loads one vec4 of four rows' inputs and
// CB vec4s of weights (row i, four columns each) and does 16·CB multiply-adds. On a software adapter a
// load costs about as much as a multiply-add per lane, so this is 4–13× the arithmetic per load of
// decode_layer.wgsl's one output per thread, and few threads (4 there, WebGpuBackend.decodeThreads)
// keep the barriers cheap: each one switches between WG / 4 emulated invocation groups.
//   x → LN1 → q, k, v (q scaled by 1/√dh), written per row as vec4s of columns (qkv)
//     → k, v into the caches at `column`
//     → per (row, head), one thread: scores of q against the row's visible keys (columns rowStart ..
//       column; the current one from qkv, not the cache this dispatch writes), softmax, context
//     → x += context · Wo → LN2 → gelu(· W1 + b1) → x += · W2 + b2 → x written back.
// Layer norms: two passes (mean, then biased variance) as the other kernels, each a partial sum per
// thread and a barrier. Lanes past the last row compute on zeros and are never written.
// The CPU oracle is src/engine/backend/cpu/decode.ts; generateFused*.test.ts check both kernels
// against the unfused ops.
override WG: u32 = 16;
override D: u32 = 64; // model width (a multiple of 4)
override H: u32 = 4; // heads (D / H a multiple of 4)
override F: u32 = 256; // MLP width (a multiple of 4)
override CTX: u32 = 48; // longest cache: scratch for one (row, head)'s scores
override D4: u32 = 16; // D / 4 (workgroup arrays are sized by a single override)
override D3: u32 = 48; // 3 * D / 4: vec4s of one row's q | k | v
override QKV4: u32 = 192; // 4 rows of D3
override ATT: u32 = 768; // 4 * H * CTX
override DX4: u32 = 256; // 4 * D
/** Column blocks (of 4) per thread pass in the products: 1, 2 or 4 (the host's choice, dividing D / 4
 *  and F / 4). More blocks share each load of the rows' input: 4 blocks are 5 vec4 loads per 64
 *  multiply-adds, 1 block 2 per 16. */
override CB: u32 = 4;

struct Params {
  rows: u32,
  cacheLen: u32,
  column: u32,
  eps: f32,
  qScale: f32,
}

@group(0) @binding(0) var<storage, read_write> x: array<vec4<f32>>; // [rows, D / 4]
@group(0) @binding(1) var<storage, read> w: array<vec4<f32>>; // packed as decodeLayerOffsets, / 4
@group(0) @binding(2) var<storage, read_write> keys: array<vec4<f32>>; // [rows * H, L, dh / 4]
@group(0) @binding(3) var<storage, read_write> values: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> rowStart: array<i32>;
@group(0) @binding(5) var<uniform> params: Params;

var<workgroup> xs: array<vec4<f32>, D>; // the residual stream, lane r = row 4g + r
var<workgroup> hs: array<vec4<f32>, D>; // LN1, then LN2 output (lanes = rows)
var<workgroup> qkv: array<vec4<f32>, QKV4>; // [row, 3D / 4]: each row's q | k | v, vec4s of columns
var<workgroup> att: array<f32, ATT>; // [row, head, CTX] attention weights
var<workgroup> ctxs: array<f32, DX4>; // [row, D] attention context (a thread writes a (row, head))
var<workgroup> hid: array<vec4<f32>, F>; // MLP hidden (lanes = rows)
var<workgroup> red: array<vec4<f32>, WG>; // per-thread partial sums of the layer norms

const GELU_C: f32 = 0.7978845608028654; // sqrt(2 / pi)
const GELU_A: f32 = 0.044715;

/** gelu(v) = 0.5 v (1 + tanh u) = v * sigmoid(2u), as shaders/elementwise.wgsl evaluates it. */
fn gelu(v: vec4<f32>) -> vec4<f32> {
  let a = 2.0 * GELU_C * (v + GELU_A * v * v * v);
  let e = exp(-abs(a));
  return v * select(e, vec4<f32>(1.0), a >= vec4<f32>(0.0)) / (1.0 + e);
}

/** A block of four output columns for four rows: c_k is column k, lane r = row r. */
struct Acc4 {
  c0: vec4<f32>,
  c1: vec4<f32>,
  c2: vec4<f32>,
  c3: vec4<f32>,
}

fn zero4() -> Acc4 {
  return Acc4(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
}

/** acc += h (four rows' input i) × wv (weight row i at the block's four columns). */
fn fma4(acc: Acc4, h: vec4<f32>, wv: vec4<f32>) -> Acc4 {
  return Acc4(acc.c0 + h * wv.x, acc.c1 + h * wv.y, acc.c2 + h * wv.z, acc.c3 + h * wv.w);
}

/** Block b of q | k | v, scaled by s, into qkv (per row, a vec4 of columns). */
fn storeQkv(b: u32, p: Acc4, s: f32) {
  for (var r = 0u; r < 4u; r++) {
    qkv[r * D3 + b] = vec4<f32>(p.c0[r], p.c1[r], p.c2[r], p.c3[r]) * s;
  }
}

/** xs[4b .. 4b+3] += block b. */
fn addToStream(b: u32, p: Acc4) {
  xs[4u * b] += p.c0;
  xs[4u * b + 1u] += p.c1;
  xs[4u * b + 2u] += p.c2;
  xs[4u * b + 3u] += p.c3;
}

/** hid[4b .. 4b+3] = gelu(block b + bias). */
fn storeHidden(b: u32, p: Acc4, bias: vec4<f32>) {
  hid[4u * b] = gelu(p.c0 + bias.x);
  hid[4u * b + 1u] = gelu(p.c1 + bias.y);
  hid[4u * b + 2u] = gelu(p.c2 + bias.z);
  hid[4u * b + 3u] = gelu(p.c3 + bias.w);
}

/** x's block b for the real rows: the stream plus block b plus the bias. */
fn writeRows(b: u32, p: Acc4, bias: vec4<f32>, row0: u32, lanes: u32) {
  let o0 = xs[4u * b] + (p.c0 + bias.x);
  let o1 = xs[4u * b + 1u] + (p.c1 + bias.y);
  let o2 = xs[4u * b + 2u] + (p.c2 + bias.z);
  let o3 = xs[4u * b + 3u] + (p.c3 + bias.w);
  for (var r = 0u; r < lanes; r++) {
    x[(row0 + r) * D4 + b] = vec4<f32>(o0[r], o1[r], o2[r], o3[r]);
  }
}

/** Input i of the four rows' attention context (ctxs is [row, D]). */
fn ctxAt(i: u32) -> vec4<f32> {
  return vec4<f32>(ctxs[i], ctxs[D + i], ctxs[2u * D + i], ctxs[3u * D + i]);
}

/** The sum over threads of red (every thread reads all WG partials). */
fn reduced() -> vec4<f32> {
  var s = vec4<f32>(0.0);
  for (var t = 0u; t < WG; t++) {
    s += red[t];
  }
  return s;
}

/** hs = LayerNorm(xs) per lane, gain and bias at vec4 offsets g4, b4 of w. Starts after a barrier
 *  that made xs complete, ends with one that makes hs complete. */
fn layerNorm(lid: u32, g4: u32, b4: u32) {
  var s = vec4<f32>(0.0);
  for (var i = lid; i < D; i += WG) {
    s += xs[i];
  }
  red[lid] = s;
  workgroupBarrier();
  let mean = reduced() / f32(D);
  workgroupBarrier(); // everyone has read red
  var v = vec4<f32>(0.0);
  for (var i = lid; i < D; i += WG) {
    let d = xs[i] - mean;
    v += d * d;
  }
  red[lid] = v;
  workgroupBarrier();
  let rstd = 1.0 / sqrt(reduced() / f32(D) + params.eps);
  // Thread t normalises the elements of its vec4 blocks of the gain and bias.
  for (var b = lid; b < D4; b += WG) {
    let g = w[g4 + b];
    let bb = w[b4 + b];
    for (var c = 0u; c < 4u; c++) {
      let i = 4u * b + c;
      hs[i] = (xs[i] - mean) * rstd * g[c] + bb[c];
    }
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
  // vec4 offsets of the packed weights (src/engine/backend/decode.ts, decodeLayerOffsets / 4).
  let oLn1g = 0u;
  let oLn1b = D4;
  let oWq = 2u * D4;
  let oWo = oWq + 3u * D * D4;
  let oLn2g = oWo + D * D4;
  let oLn2b = oLn2g + D4;
  let oW1 = oLn2b + D4;
  let F4 = F / 4u;
  let oB1 = oW1 + D * F4;
  let oW2 = oB1 + F4;
  let oB2 = oW2 + F * D4;
  let L = params.cacheLen;
  let col = params.column;
  let dh = D / H;
  let dh4 = dh / 4u;

  // ---- the rows' residual stream into xs (lanes = rows); missing rows are zeros
  for (var b = lid; b < D4; b += WG) {
    var v: array<vec4<f32>, 4>;
    for (var r = 0u; r < lanes; r++) {
      v[r] = x[(row0 + r) * D4 + b];
    }
    for (var c = 0u; c < 4u; c++) {
      xs[4u * b + c] = vec4<f32>(v[0][c], v[1][c], v[2][c], v[3][c]);
    }
  }
  workgroupBarrier();
  layerNorm(lid, oLn1g, oLn1b);

  // ---- q | k | v: column block b of the [D, 3D] product (Wq, Wk, Wv packed one after another, each
  //      D × D row-major), stored per row as vec4s of columns
  for (var b = lid * CB; b < D3; b += WG * CB) {
    let which = b / D4; // the CB blocks share it: CB divides D / 4
    let base = oWq + which * D * D4 + (b % D4);
    var p0 = zero4();
    var p1 = zero4();
    var p2 = zero4();
    var p3 = zero4();
    for (var i = 0u; i < D; i++) {
      let hv = hs[i];
      let at = base + i * D4;
      p0 = fma4(p0, hv, w[at]);
      if (CB > 1u) { p1 = fma4(p1, hv, w[at + 1u]); }
      if (CB > 2u) {
        p2 = fma4(p2, hv, w[at + 2u]);
        p3 = fma4(p3, hv, w[at + 3u]);
      }
    }
    let s = select(1.0, params.qScale, which == 0u);
    storeQkv(b, p0, s);
    if (CB > 1u) { storeQkv(b + 1u, p1, s); }
    if (CB > 2u) {
      storeQkv(b + 2u, p2, s);
      storeQkv(b + 3u, p3, s);
    }
  }
  workgroupBarrier();

  // ---- the new keys and values into the caches ([rows * H, L, dh]), a vec4 per thread
  for (var p = lid; p < lanes * D4; p += WG) {
    let r = p / D4;
    let b = p % D4;
    let at = (((row0 + r) * H + b / dh4) * L + col) * dh4 + (b % dh4);
    keys[at] = qkv[r * D3 + D4 + b];
    values[at] = qkv[r * D3 + 2u * D4 + b];
  }

  // ---- attention, a (row, head) per thread: scores of the visible columns, softmax, context
  for (var p = lid; p < 4u * H; p += WG) {
    let r = p / H;
    let hd = p % H;
    let q = r * D3 + hd * dh4; // the head's query in qkv
    let a = p * CTX;
    if (r < lanes) {
      let start = u32(max(rowStart[row0 + r], 0));
      let cache = ((row0 + r) * H + hd) * L * dh4;
      var m = 0.0;
      for (var c = start; c <= col; c++) {
        var s = vec4<f32>(0.0);
        if (c == col) {
          for (var e = 0u; e < dh4; e++) {
            s += qkv[q + e] * qkv[q + D4 + e];
          }
        } else {
          for (var e = 0u; e < dh4; e++) {
            s += qkv[q + e] * keys[cache + c * dh4 + e];
          }
        }
        let sc = s.x + s.y + s.z + s.w;
        att[a + c] = sc;
        m = select(max(m, sc), sc, c == start);
      }
      var sum = 0.0;
      for (var c = start; c <= col; c++) {
        let e = exp(att[a + c] - m);
        att[a + c] = e;
        sum += e;
      }
      let inv = 1.0 / sum;
      for (var e = 0u; e < dh4; e++) {
        var acc = vec4<f32>(0.0);
        for (var c = start; c < col; c++) {
          acc += (att[a + c] * inv) * values[cache + c * dh4 + e];
        }
        acc += (att[a + col] * inv) * qkv[q + 2u * D4 + e];
        let i = r * D + hd * dh + 4u * e;
        ctxs[i] = acc.x;
        ctxs[i + 1u] = acc.y;
        ctxs[i + 2u] = acc.z;
        ctxs[i + 3u] = acc.w;
      }
    }
    // a missing row's context stays zero (workgroup memory starts zeroed); its lane is never written
  }
  workgroupBarrier();

  // ---- x += context · Wo
  for (var b = lid * CB; b < D4; b += WG * CB) {
    var p0 = zero4();
    var p1 = zero4();
    var p2 = zero4();
    var p3 = zero4();
    for (var i = 0u; i < D; i++) {
      let cv = ctxAt(i);
      let at = oWo + i * D4 + b;
      p0 = fma4(p0, cv, w[at]);
      if (CB > 1u) { p1 = fma4(p1, cv, w[at + 1u]); }
      if (CB > 2u) {
        p2 = fma4(p2, cv, w[at + 2u]);
        p3 = fma4(p3, cv, w[at + 3u]);
      }
    }
    addToStream(b, p0);
    if (CB > 1u) { addToStream(b + 1u, p1); }
    if (CB > 2u) {
      addToStream(b + 2u, p2);
      addToStream(b + 3u, p3);
    }
  }
  workgroupBarrier();
  layerNorm(lid, oLn2g, oLn2b);

  // ---- hidden = gelu(h · W1 + b1)
  for (var b = lid * CB; b < F4; b += WG * CB) {
    var p0 = zero4();
    var p1 = zero4();
    var p2 = zero4();
    var p3 = zero4();
    for (var i = 0u; i < D; i++) {
      let hv = hs[i];
      let at = oW1 + i * F4 + b;
      p0 = fma4(p0, hv, w[at]);
      if (CB > 1u) { p1 = fma4(p1, hv, w[at + 1u]); }
      if (CB > 2u) {
        p2 = fma4(p2, hv, w[at + 2u]);
        p3 = fma4(p3, hv, w[at + 3u]);
      }
    }
    storeHidden(b, p0, w[oB1 + b]);
    if (CB > 1u) { storeHidden(b + 1u, p1, w[oB1 + b + 1u]); }
    if (CB > 2u) {
      storeHidden(b + 2u, p2, w[oB1 + b + 2u]);
      storeHidden(b + 3u, p3, w[oB1 + b + 3u]);
    }
  }
  workgroupBarrier();

  // ---- x += hidden · W2 + b2, written back for the real rows
  for (var b = lid * CB; b < D4; b += WG * CB) {
    var p0 = zero4();
    var p1 = zero4();
    var p2 = zero4();
    var p3 = zero4();
    for (var i = 0u; i < F; i++) {
      let hv = hid[i];
      let at = oW2 + i * D4 + b;
      p0 = fma4(p0, hv, w[at]);
      if (CB > 1u) { p1 = fma4(p1, hv, w[at + 1u]); }
      if (CB > 2u) {
        p2 = fma4(p2, hv, w[at + 2u]);
        p3 = fma4(p3, hv, w[at + 3u]);
      }
    }
    writeRows(b, p0, w[oB2 + b], row0, lanes);
    if (CB > 1u) { writeRows(b + 1u, p1, w[oB2 + b + 1u], row0, lanes); }
    if (CB > 2u) {
      writeRows(b + 2u, p2, w[oB2 + b + 2u], row0, lanes);
      writeRows(b + 3u, p3, w[oB2 + b + 3u], row0, lanes);
    }
  }
}
