// The head and the sampler of one decode step (Backend.decodeHead), one workgroup per generation row
// (row = wid.y * nwg.x + wid.x):
//   logits = LN_f(x) · tok_embᵀ (kept in workgroup memory; copied out when saveLogits)
//   → a finished row emits PAD; otherwise sampleRow (shaders/sample_row.wgsl, appended to this file by
//     kernels/decode.ts) draws the id exactly as sampleTokens does, and EOS finishes the row
//   → the id, its log-prob and its entropy at scoreInvT written at column `step` of the outputs
//   → x = tok_emb[id] + pos_emb[embedColumn - rowStart[row]], the input of the next decode_layer
//     (skipped when embedColumn < 0, on the last step).
// Log-prob and entropy use one pass of (m, s, u) statistics as shaders/logprob.wgsl does:
// logp = z_id - m - log s, H = log s + u / s, with s = Σ exp(z - m), u = Σ exp(z - m)(m - z).
// The CPU oracle is decodeHead in src/engine/backend/cpu/decode.ts.
override WG: u32 = 64; // a power of two
override D: u32 = 64;
override V: u32 = 60;

struct Params {
  // sampleRow reads these (the same fields as sample.wgsl's Params)
  rows: u32,
  vocab: u32,
  invT: f32,
  greedy: u32,
  topK: u32,
  topP: f32,
  seed: u32,
  step: u32,
  eos: i32,
  pad: i32,
  // the rest of the step
  steps: u32,
  embedColumn: i32,
  scoreInvT: f32,
  eps: f32,
  saveLogits: u32,
  positions: u32,
  column: u32, // the output column (sampleRow's counter is `step`)
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
var<workgroup> redH: array<f32, WG>;
var<workgroup> rowFlag: i32;

fn logitOf(j: u32) -> f32 {
  return lg[j];
}

fn headSum(lid: u32, local: f32) -> f32 {
  redH[lid] = local;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      redH[lid] = redH[lid] + redH[lid + stride];
    }
    workgroupBarrier();
  }
  let total = redH[0];
  workgroupBarrier();
  return total;
}

fn headMax(lid: u32, local: f32) -> f32 {
  redH[lid] = local;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      redH[lid] = max(redH[lid], redH[lid + stride]);
    }
    workgroupBarrier();
  }
  let total = redH[0];
  workgroupBarrier();
  return total;
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

  // ---- LN_f (two passes, biased variance)
  var s = 0.0;
  for (var i = lid; i < D; i += WG) {
    s += x[xb + i];
  }
  let mean = headSum(lid, s) / f32(D);
  var v = 0.0;
  for (var i = lid; i < D; i += WG) {
    let d = x[xb + i] - mean;
    v += d * d;
  }
  let rstd = 1.0 / sqrt(headSum(lid, v) / f32(D) + params.eps);
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

  // ---- the token
  if (lid == 0u) {
    rowFlag = finished[row];
  }
  var id = params.pad;
  if (workgroupUniformLoad(&rowFlag) == 0) {
    id = i32(sampleRow(row, lid));
  }

  // ---- its log-prob and entropy at scoreInvT (an id outside the vocabulary scores 0, 0)
  let invT = params.scoreInvT;
  var lm = bitcast<f32>(NEG_INF_BITS);
  for (var j = lid; j < V; j += WG) {
    lm = max(lm, lg[j] * invT);
  }
  let m = headMax(lid, lm);
  var ls = 0.0;
  var lu = 0.0;
  for (var j = lid; j < V; j += WG) {
    let z = lg[j] * invT;
    if (z >= NEG_FLT_MAX) {
      let e = exp(z - m);
      ls += e;
      lu += e * (m - z);
    }
  }
  let sumS = headSum(lid, ls);
  let sumU = headSum(lid, lu);
  let at = row * params.steps + params.column;
  if (lid == 0u) {
    tokens[at] = id;
    var logp = 0.0;
    var entropy = 0.0;
    if (id >= 0 && u32(id) < V) {
      if (sumS > 0.0) {
        let logS = log(sumS);
        let zt = lg[u32(id)] * invT;
        logp = select(bitcast<f32>(NEG_INF_BITS), zt - m - logS, zt >= NEG_FLT_MAX);
        entropy = logS + sumU / sumS;
      } else {
        logp = bitcast<f32>(NEG_INF_BITS);
      }
    }
    scores[at] = logp;
    scores[params.rows * params.steps + at] = entropy;
    if (rowFlag == 0 && id == params.eos) {
      finished[row] = 1;
    }
  }

  // ---- the next decode_layer's input: the token's embedding at its position
  if (params.embedColumn >= 0) {
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
