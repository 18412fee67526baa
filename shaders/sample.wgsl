// Token sampling for generation: one workgroup per row of logits [rows, vocab] (row = wid.y * nwg.x +
// wid.x), threads striding the vocabulary. The CPU oracle (src/engine/backend/cpu/sample.ts) follows
// the same steps:
//   1. A finished row emits PAD and stays finished.
//   2. Argmax, ties to the lowest id. Greedy (temperature 0), or a row without a finite max, stops here.
//   3. Weights w_j = exp(z_j - max z) with z = logit * invT (0 for -Infinity logits).
//   4. Filters (only when on, since they cost O(vocab²) per row — fine for the lab's ~60 tokens):
//      rank_j = #ids ahead of j (larger logit, or equal logit and lower id), ahead_j = their weight;
//      top-k keeps rank_j < k; top-p keeps rank_j = 0 or ahead_j < topP * (weight of the top-k set).
//   5. Inverse CDF in id order over the kept weights with u = uniform(seed, step, row): each thread
//      sums a contiguous chunk of ids, thread 0 finds the chunk holding u * total, and that chunk's
//      thread walks it. Sampling EOS finishes the row.
// The uniform comes from the same u32 hash as the CPU's (u32 multiplies wrap in WGSL and Math.imul).
override WG: u32 = 64;

const NEG_FLT_MAX: f32 = bitcast<f32>(0xff7fffffu);
const FLT_MAX: f32 = bitcast<f32>(0x7f7fffffu);
var<private> NEG_INF_BITS: u32 = 0xff800000u; // -Infinity at run time (a const -inf does not compile)
var<private> POS_INF_BITS: u32 = 0x7f800000u;

struct Params {
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
}

@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read_write> finished: array<i32>;
@group(0) @binding(2) var<storage, read_write> outIds: array<i32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> redV: array<f32, WG>;
var<workgroup> redI: array<u32, WG>;
var<workgroup> redS: array<f32, WG>;
var<workgroup> rowFlag: i32;
var<workgroup> rowMax: f32;
var<workgroup> rowArg: u32;
var<workgroup> rowMassK: f32;
var<workgroup> chosenChunk: u32;
var<workgroup> chosenResidual: f32;

fn pcgHash(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

fn sampleUniform(seed: u32, step: u32, row: u32) -> f32 {
  let h = pcgHash(pcgHash(pcgHash(seed) ^ step) ^ row);
  return f32(h >> 8u) * (1.0 / 16777216.0);
}

/** exp(z - m) for a logit, 0 for -Infinity (probability exactly 0). */
fn weightOf(l: f32, m: f32) -> f32 {
  if (l >= NEG_FLT_MAX) {
    return exp(l * params.invT - m);
  }
  return 0.0;
}

/** (rank, weight ahead) of id j: ids with a larger logit, or an equal logit and a lower id, come first. */
fn rankOf(off: u32, j: u32, m: f32) -> vec2<f32> {
  let lj = logits[off + j];
  var count = 0u;
  var mass = 0.0;
  for (var i = 0u; i < params.vocab; i++) {
    let li = logits[off + i];
    if (li > lj || (li == lj && i < j)) {
      count++;
      mass += weightOf(li, m);
    }
  }
  return vec2<f32>(f32(count), mass);
}

fn useTopK() -> bool {
  return params.topK > 0u && params.topK < params.vocab;
}

fn useTopP() -> bool {
  return params.topP < 1.0;
}

/** Weight of id j after filtering (0 = filtered out). massK: weight of the top-k set (top-p only). */
fn keptWeight(off: u32, j: u32, m: f32, massK: f32) -> f32 {
  let w = weightOf(logits[off + j], m);
  if (w == 0.0 || !(useTopK() || useTopP())) {
    return w;
  }
  let ra = rankOf(off, j, m);
  let rank = u32(ra.x);
  if (useTopK() && rank >= params.topK) {
    return 0.0;
  }
  if (useTopP() && rank > 0u && !(ra.y < params.topP * massK)) {
    return 0.0;
  }
  return w;
}

fn sumReduce(lid: u32, local: f32) -> f32 {
  redS[lid] = local;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      redS[lid] = redS[lid] + redS[lid + stride];
    }
    workgroupBarrier();
  }
  return redS[0];
}

fn emit(row: u32, id: u32) {
  outIds[row] = i32(id);
  if (i32(id) == params.eos) {
    finished[row] = 1;
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= params.rows) {
    return; // uniform per workgroup
  }
  if (lid == 0u) {
    rowFlag = finished[row];
  }
  if (workgroupUniformLoad(&rowFlag) != 0) {
    if (lid == 0u) {
      outIds[row] = params.pad;
    }
    return;
  }
  let vocab = params.vocab;
  let off = row * vocab;

  // ---- argmax, ties to the lowest id
  var bv = bitcast<f32>(NEG_INF_BITS);
  var bi = vocab;
  for (var j = lid; j < vocab; j += WG) {
    let v = logits[off + j];
    if (v > bv || (v == bv && j < bi)) {
      bv = v;
      bi = j;
    }
  }
  redV[lid] = bv;
  redI[lid] = bi;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      let qv = redV[lid + stride];
      let qi = redI[lid + stride];
      if (qv > redV[lid] || (qv == redV[lid] && qi < redI[lid])) {
        redV[lid] = qv;
        redI[lid] = qi;
      }
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    rowMax = redV[0];
    rowArg = select(0u, redI[0], redI[0] < vocab); // NaN everywhere: id 0
  }
  let lmax = workgroupUniformLoad(&rowMax);
  let amax = workgroupUniformLoad(&rowArg);
  if (params.greedy != 0u || !(lmax >= NEG_FLT_MAX && lmax <= FLT_MAX)) {
    if (lid == 0u) {
      emit(row, amax);
    }
    return;
  }
  let m = lmax * params.invT;

  // ---- weight of the top-k set, which top-p's threshold is relative to
  var massK = 0.0;
  if (useTopP()) {
    var local = 0.0;
    for (var j = lid; j < vocab; j += WG) {
      let w = weightOf(logits[off + j], m);
      if (w > 0.0 && (!useTopK() || u32(rankOf(off, j, m).x) < params.topK)) {
        local += w;
      }
    }
    let s = sumReduce(lid, local);
    if (lid == 0u) {
      rowMassK = s;
    }
    massK = workgroupUniformLoad(&rowMassK);
  }

  // ---- inverse CDF in id order: chunk sums, then one thread walks the chosen chunk
  let chunk = (vocab + WG - 1u) / WG;
  let begin = min(lid * chunk, vocab);
  let end = min(begin + chunk, vocab);
  var part = 0.0;
  for (var j = begin; j < end; j++) {
    part += keptWeight(off, j, m, massK);
  }
  redS[lid] = part;
  workgroupBarrier();
  if (lid == 0u) {
    var total = 0.0;
    for (var c = 0u; c < WG; c++) {
      total += redS[c];
    }
    let goal = sampleUniform(params.seed, params.step, row) * total;
    var prefix = 0.0;
    var chosen = WG;
    var lastNonEmpty = 0u;
    var residual = bitcast<f32>(POS_INF_BITS); // no chunk reached: the last kept id of the last chunk
    for (var c = 0u; c < WG; c++) {
      let p = redS[c];
      if (p > 0.0) {
        lastNonEmpty = c;
        if (prefix + p > goal) {
          chosen = c;
          residual = goal - prefix;
          break;
        }
        prefix += p;
      }
    }
    chosenChunk = select(lastNonEmpty, chosen, chosen < WG);
    chosenResidual = residual;
  }
  let c = workgroupUniformLoad(&chosenChunk);
  if (lid == c) {
    let residual = chosenResidual;
    var cum = 0.0;
    var id = vocab;
    var last = amax;
    for (var j = begin; j < end; j++) {
      let w = keptWeight(off, j, m, massK);
      if (w > 0.0) {
        last = j;
        cum += w;
        if (cum > residual) {
          id = j;
          break;
        }
      }
    }
    emit(row, select(last, id, id < vocab));
  }
}
