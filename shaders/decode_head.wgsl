// The head and the sampler of one decode step (Backend.decodeHead), one workgroup per generation row
// (row = wid.y * nwg.x + wid.x):
//   logits = LN_f(x) · tok_embᵀ (kept in workgroup memory; copied out when saveLogits)
//   → a finished row emits PAD; otherwise the id is drawn exactly as sampleTokens does (shaders/
//     sample.wgsl; steps below), and EOS finishes the row
//   → the id, its log-prob and its entropy at scoreInvT written at column `column` of the outputs
//   → x = tok_emb[id] + pos_emb[embedColumn - rowStart[row]], the input of the next decode_layer
//     (skipped when embedColumn < 0, on the last step).
// Few barriers on purpose (four): on a software adapter each one switches between every emulated
// invocation, and at one workgroup per row, per token, tree reductions cost more than the maths. So
// every thread computes the row's small statistics itself from workgroup memory (D or V reads), the
// vocabulary-wide per-id work (ranks for top-k/top-p) is spread over the threads, and thread 0 does
// the O(V) walks. Sampling: argmax (ties to the lowest id; greedy or a row without a finite max stops
// there); weights w_j = exp(z_j - max z), z = logit * invT; top-k keeps rank_j < k, top-p keeps
// rank_j = 0 or (weight ahead of j) < topP * (weight of the top-k set); inverse CDF in id order with
// u = uniform(seed, step, row), the same u32 hash as the CPU's.
// Log-prob and entropy: logp = z_id - m - log s, H = log s + u / s with s = Σ exp(z - m),
// u = Σ exp(z - m)(m - z) (shaders/logprob.wgsl's form). The CPU oracle is decodeHead in
// src/engine/backend/cpu/decode.ts.
override WG: u32 = 32;
override D: u32 = 64;
override V: u32 = 60;

const NEG_FLT_MAX: f32 = bitcast<f32>(0xff7fffffu);
const FLT_MAX: f32 = bitcast<f32>(0x7f7fffffu);
var<private> NEG_INF_BITS: u32 = 0xff800000u; // -Infinity at run time (a const -inf does not compile)

struct Params {
  rows: u32,
  vocab: u32,
  invT: f32,
  greedy: u32,
  topK: u32,
  topP: f32,
  seed: u32,
  step: u32, // the sampling counter
  eos: i32,
  pad: i32,
  steps: u32,
  embedColumn: i32,
  scoreInvT: f32,
  eps: f32,
  saveLogits: u32,
  positions: u32,
  column: u32, // the output column
}

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read> hw: array<f32>; // ln_f.g, ln_f.b [D]; tok_emb [V, D]; pos_emb [positions, D]
@group(0) @binding(2) var<storage, read_write> finished: array<i32>;
@group(0) @binding(3) var<storage, read> rowStart: array<i32>;
@group(0) @binding(4) var<storage, read_write> tokens: array<i32>; // [rows, steps]
@group(0) @binding(5) var<storage, read_write> scores: array<f32>; // [2, rows, steps]
@group(0) @binding(6) var<storage, read_write> logitsOut: array<f32>; // [rows, steps, V], or 1 element
@group(0) @binding(7) var<uniform> params: Params;

var<workgroup> hs: array<f32, D>;
var<workgroup> lg: array<f32, V>;
var<workgroup> weight: array<f32, V>; // w_j (0 for -Infinity logits)
var<workgroup> rank: array<u32, V>; // ids ahead of j (larger logit, or equal logit and lower id)
var<workgroup> ahead: array<f32, V>; // their weight
var<workgroup> chosen: i32;

fn pcgHash(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

fn sampleUniform(seed: u32, step: u32, row: u32) -> f32 {
  let h = pcgHash(pcgHash(pcgHash(seed) ^ step) ^ row);
  return f32(h >> 8u) * (1.0 / 16777216.0);
}

/** The argmax of the row's logits, ties to the lowest id (id 0 when every logit is NaN). */
fn argmaxRow() -> u32 {
  var best = 0u;
  var bv = lg[0];
  for (var j = 1u; j < V; j++) {
    if (lg[j] > bv) {
      bv = lg[j];
      best = j;
    }
  }
  return best;
}

/** Thread 0: the sampled id from weight/rank/ahead (filled by all threads). */
fn drawId(row: u32, best: u32) -> u32 {
  let useTopK = params.topK > 0u && params.topK < V;
  let useTopP = params.topP < 1.0;
  var massK = 0.0;
  if (useTopP) {
    for (var j = 0u; j < V; j++) {
      if (!useTopK || rank[j] < params.topK) {
        massK += weight[j];
      }
    }
  }
  var total = 0.0;
  for (var j = 0u; j < V; j++) {
    total += kept(j, useTopK, useTopP, massK);
  }
  let goal = sampleUniform(params.seed, params.step, row) * total;
  var cum = 0.0;
  var last = best;
  for (var j = 0u; j < V; j++) {
    let w = kept(j, useTopK, useTopP, massK);
    if (w > 0.0) {
      last = j;
      cum += w;
      if (cum > goal) {
        return j;
      }
    }
  }
  return last;
}

fn kept(j: u32, useTopK: bool, useTopP: bool, massK: f32) -> f32 {
  let w = weight[j];
  if (w == 0.0 || (useTopK && rank[j] >= params.topK)) {
    return 0.0;
  }
  if (useTopP && rank[j] > 0u && !(ahead[j] < params.topP * massK)) {
    return 0.0;
  }
  return w;
}

/** After the row's logits are in lg (and a barrier): the sampled id (every thread spreads the per-id
 *  weights and ranks; thread 0 draws, scores and writes the outputs, and leaves the id in `chosen`). */
fn sampleAndScore(row: u32, lid: u32) {
  // ---- per-id weights and ranks, spread over the threads (only what sampling uses)
  let best = argmaxRow();
  let lmax = lg[best];
  let sampling = params.greedy == 0u && lmax >= NEG_FLT_MAX && lmax <= FLT_MAX;
  let m = lmax * params.invT;
  let ranked = (params.topK > 0u && params.topK < V) || params.topP < 1.0;
  for (var j = lid; j < V; j += WG) {
    let lj = lg[j];
    let w = select(0.0, exp(lj * params.invT - m), sampling && lj >= NEG_FLT_MAX);
    weight[j] = w;
    if (sampling && ranked) {
      var count = 0u;
      var mass = 0.0;
      for (var i = 0u; i < V; i++) {
        let li = lg[i];
        if (li > lj || (li == lj && i < j)) {
          count++;
          mass += select(0.0, exp(li * params.invT - m), li >= NEG_FLT_MAX);
        }
      }
      rank[j] = count;
      ahead[j] = mass;
    }
  }
  workgroupBarrier();

  // ---- thread 0: the id, its scores, the outputs
  if (lid == 0u) {
    let done = finished[row] != 0;
    var id = params.pad;
    if (!done) {
      id = i32(select(best, drawId(row, best), sampling));
      if (id == params.eos) {
        finished[row] = 1;
      }
    }
    let invT = params.scoreInvT;
    var zm = bitcast<f32>(NEG_INF_BITS);
    for (var j = 0u; j < V; j++) {
      zm = max(zm, lg[j] * invT);
    }
    var sumS = 0.0;
    var sumU = 0.0;
    for (var j = 0u; j < V; j++) {
      let z = lg[j] * invT;
      if (z >= NEG_FLT_MAX) {
        let e = exp(z - zm);
        sumS += e;
        sumU += e * (zm - z);
      }
    }
    var logp = 0.0; // an id outside the vocabulary scores 0, 0 (an ignored row)
    var entropy = 0.0;
    if (id >= 0 && u32(id) < V) {
      if (sumS > 0.0) {
        let logS = log(sumS);
        let zt = lg[u32(id)] * invT;
        logp = select(bitcast<f32>(NEG_INF_BITS), zt - zm - logS, zt >= NEG_FLT_MAX);
        entropy = logS + sumU / sumS;
      } else {
        logp = bitcast<f32>(NEG_INF_BITS);
      }
    }
    let at = row * params.steps + params.column;
    tokens[at] = id;
    scores[at] = logp;
    scores[params.rows * params.steps + at] = entropy;
    chosen = id;
  }
}

@compute @workgroup_size(WG)
fn decode_head(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
               @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= params.rows) {
    return; // uniform per workgroup
  }
  let oTok = 2u * D;
  let oPos = oTok + V * D;
  let xb = row * D;

  // ---- LN_f: every thread takes the row's mean and variance itself (two passes, biased variance)
  var s = 0.0;
  for (var i = 0u; i < D; i++) {
    s += x[xb + i];
  }
  let mean = s / f32(D);
  var v = 0.0;
  for (var i = 0u; i < D; i++) {
    let d = x[xb + i] - mean;
    v += d * d;
  }
  let rstd = 1.0 / sqrt(v / f32(D) + params.eps);
  for (var i = lid; i < D; i += WG) {
    hs[i] = (x[xb + i] - mean) * rstd * hw[i] + hw[D + i];
  }
  workgroupBarrier();

  // ---- logits: the tied head, tok_emb read row by row
  for (var j = lid; j < V; j += WG) {
    var acc = 0.0;
    let tb = oTok + j * D;
    for (var i = 0u; i < D; i++) {
      acc += hs[i] * hw[tb + i];
    }
    lg[j] = acc;
    if (params.saveLogits != 0u) {
      logitsOut[(row * params.steps + params.column) * V + j] = acc;
    }
  }
  workgroupBarrier();

  sampleAndScore(row, lid);

  // ---- the next decode_layer's input: the token's embedding at its position
  if (params.embedColumn >= 0) {
    workgroupBarrier();
    let id = chosen;
    let pos = params.embedColumn - rowStart[row];
    let idOk = id >= 0 && u32(id) < V;
    let posOk = pos >= 0 && u32(pos) < params.positions;
    for (var i = lid; i < D; i += WG) {
      var e = 0.0;
      if (idOk) {
        e = hw[oTok + u32(id) * D + i];
      }
      if (posOk) {
        e += hw[oPos + u32(pos) * D + i];
      }
      x[xb + i] = e;
    }
  }
}

// ---- decode_head_vec4: the same step where D is a multiple of 4 (host's choice): x and the head
// weights read as vec4s (one load per four floats instead of four, most of this kernel's cost on a
// software adapter), the normalised row kept as vec4s.
@group(0) @binding(0) var<storage, read_write> x4: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> hw4: array<vec4<f32>>; // the packed head weights, / 4

override D4: u32 = 16; // D / 4
var<workgroup> hs4: array<vec4<f32>, D4>;

fn hsum(v: vec4<f32>) -> f32 {
  return (v.x + v.y) + (v.z + v.w);
}

@compute @workgroup_size(WG)
fn decode_head_vec4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                    @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= params.rows) {
    return; // uniform per workgroup
  }
  let oTok4 = 2u * D4;
  let oPos4 = oTok4 + V * D4;
  let xb = row * D4;

  // ---- LN_f: every thread takes the row's mean and variance itself (two passes, biased variance)
  var s = vec4<f32>(0.0);
  for (var i = 0u; i < D4; i++) {
    s += x4[xb + i];
  }
  let mean = hsum(s) / f32(D);
  var v = vec4<f32>(0.0);
  for (var i = 0u; i < D4; i++) {
    let d = x4[xb + i] - mean;
    v += d * d;
  }
  let rstd = 1.0 / sqrt(hsum(v) / f32(D) + params.eps);
  for (var i = lid; i < D4; i += WG) {
    hs4[i] = (x4[xb + i] - mean) * rstd * hw4[i] + hw4[D4 + i];
  }
  workgroupBarrier();

  // ---- logits: the tied head, tok_emb read row by row
  for (var j = lid; j < V; j += WG) {
    var acc = vec4<f32>(0.0);
    let tb = oTok4 + j * D4;
    for (var i = 0u; i < D4; i++) {
      acc += hs4[i] * hw4[tb + i];
    }
    let logit = hsum(acc);
    lg[j] = logit;
    if (params.saveLogits != 0u) {
      logitsOut[(row * params.steps + params.column) * V + j] = logit;
    }
  }
  workgroupBarrier();

  sampleAndScore(row, lid);

  // ---- the next decode_layer's input: the token's embedding at its position
  if (params.embedColumn >= 0) {
    workgroupBarrier();
    let id = chosen;
    let pos = params.embedColumn - rowStart[row];
    let idOk = id >= 0 && u32(id) < V;
    let posOk = pos >= 0 && u32(pos) < params.positions;
    for (var i = lid; i < D4; i += WG) {
      var e = vec4<f32>(0.0);
      if (idOk) {
        e = hw4[oTok4 + u32(id) * D4 + i];
      }
      if (posOk) {
        e += hw4[oPos4 + u32(pos) * D4 + i];
      }
      x4[xb + i] = e;
    }
  }
}
