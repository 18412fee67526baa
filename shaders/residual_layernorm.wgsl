// A pre-LN block's residual add fused with the layer norm that reads it (Backend.residualLayerNorm),
// and the backward in ONE launch. The maths is layernorm.wgsl's (two passes about the row's first
// element; dx = rstd·(g − mean(g) − xhat·mean(g·xhat)) with g = dy·gamma); CPU oracle:
// src/engine/backend/cpu/fusedTraining.ts.
//
// residual_layernorm_forward: a thread per row: s = x + delta (written: the residual stream), y = LN(s),
//   stats = [mean of every row, then rstd of every row].
// residual_layernorm_backward: threads 0 .. cols−1 each sum one column over all rows for dgamma and
//   dbeta; threads cols .. cols+rows−1 each write one row of dx = dSum + LN'(dy). Two jobs in one
//   dispatch, no atomics: a column's serial loop over the rows replaces the two-pass column reduction
//   of layerNormGrad (and its separate launches); the model's batches are a few thousand rows.
override WG: u32 = 64;

struct Params {
  rows: u32,
  cols: u32,
  eps: f32,
  /** Forward: whether delta is bound (else s = x). Backward: whether dSum is. */
  hasSecond: u32,
}

// ---- residual_layernorm_forward
@group(0) @binding(0) var<storage, read> fx: array<f32>;
@group(0) @binding(1) var<storage, read> fdelta: array<f32>;
@group(0) @binding(2) var<storage, read> fgamma: array<f32>;
@group(0) @binding(3) var<storage, read> fbeta: array<f32>;
@group(0) @binding(4) var<storage, read_write> fsum: array<f32>;
@group(0) @binding(5) var<storage, read_write> fy: array<f32>;
@group(0) @binding(6) var<storage, read_write> fstats: array<f32>;
@group(0) @binding(7) var<uniform> fparams: Params;

// ---- residual_layernorm_backward
@group(0) @binding(0) var<storage, read> bdy: array<f32>;
@group(0) @binding(1) var<storage, read> bdsum: array<f32>;
@group(0) @binding(2) var<storage, read> bs: array<f32>;
@group(0) @binding(3) var<storage, read> bgamma: array<f32>;
@group(0) @binding(4) var<storage, read> bstats: array<f32>;
@group(0) @binding(5) var<storage, read_write> bdx: array<f32>;
@group(0) @binding(6) var<storage, read_write> bdgamma: array<f32>;
@group(0) @binding(7) var<storage, read_write> bdbeta: array<f32>;
@group(0) @binding(8) var<uniform> bparams: Params;

fn residualAt(i: u32) -> f32 {
  if (fparams.hasSecond != 0u) {
    return fx[i] + fdelta[i];
  }
  return fx[i];
}

@compute @workgroup_size(WG)
fn residual_layernorm_forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                              @builtin(local_invocation_index) lid: u32) {
  let row = (wid.y * nwg.x + wid.x) * WG + lid;
  let rows = fparams.rows;
  if (row >= rows) {
    return;
  }
  let cols = fparams.cols;
  let off = row * cols;
  for (var c = 0u; c < cols; c++) {
    fsum[off + c] = residualAt(off + c);
  }
  let x0 = fsum[off];
  var shiftSum = 0.0;
  for (var c = 0u; c < cols; c++) {
    shiftSum += fsum[off + c] - x0;
  }
  let shift = shiftSum / f32(cols); // mean − x0
  var v = 0.0;
  for (var c = 0u; c < cols; c++) {
    let d = (fsum[off + c] - x0) - shift;
    v += d * d;
  }
  let rs = 1.0 / sqrt(v / f32(cols) + fparams.eps);
  for (var c = 0u; c < cols; c++) {
    fy[off + c] = ((fsum[off + c] - x0) - shift) * rs * fgamma[c] + fbeta[c];
  }
  fstats[row] = x0 + shift;
  fstats[rows + row] = rs;
}

@compute @workgroup_size(WG)
fn residual_layernorm_backward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                               @builtin(local_invocation_index) lid: u32) {
  let rows = bparams.rows;
  let cols = bparams.cols;
  // The column sums come first: each is a serial loop over every row, so their threads start at once
  // instead of after all the rows' (a software adapter runs a workgroup's invocations on one core).
  let u = (wid.y * nwg.x + wid.x) * WG + lid;
  let t = select(u - cols, rows + u, u < cols); // row t, or column t - rows
  if (t < rows) {
    let off = t * cols;
    let mu = bstats[t];
    let rs = bstats[rows + t];
    var sg = 0.0;
    var sgx = 0.0;
    for (var c = 0u; c < cols; c++) {
      let g = bdy[off + c] * bgamma[c];
      sg += g;
      sgx += g * (bs[off + c] - mu) * rs;
    }
    let mg = sg / f32(cols);
    let mgx = sgx / f32(cols);
    for (var c = 0u; c < cols; c++) {
      let xhat = (bs[off + c] - mu) * rs;
      var d = rs * (bdy[off + c] * bgamma[c] - mg - xhat * mgx);
      if (bparams.hasSecond != 0u) {
        d += bdsum[off + c];
      }
      bdx[off + c] = d;
    }
  } else if (t < rows + cols) {
    let c = t - rows;
    var sg = 0.0;
    var sb = 0.0;
    for (var r = 0u; r < rows; r++) {
      let d = bdy[r * cols + c];
      sg += d * (bs[r * cols + c] - bstats[r]) * bstats[rows + r];
      sb += d;
    }
    bdgamma[c] = sg;
    bdbeta[c] = sb;
  }
}
