// LayerNorm over the last axis of x viewed as [rows, cols] (biased variance, as PyTorch/TF), and its
// backward. Each entry point declares its own bindings (storages 0..n-1, uniforms last); entry points
// may reuse binding numbers because a pipeline only sees the variables its entry point uses.
//
// layernorm_forward: one workgroup per row (row = wid.y * nwg.x + wid.x). Two reductions, the mean and
//   then the centred sum of squares, as the CPU oracle does: E[x²] - E[x]² would cancel catastrophically
//   for rows with a large mean. Both are taken about the row's first element x0 (d = mean(x - x0), and
//   x - mean = (x - x0) - d): a row like 1000 + small keeps its small part to f32 precision, where
//   x - f32(mean) would lose it to the rounding of the mean (ulp(1000) ≈ 6e-5, times rstd).
// layernorm_backward_dx: one workgroup per row; with xhat = (x - mean) * rstd and g = dy * gamma,
//   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)).
// layernorm_backward_params_partial / _reduce: dgamma = sum_rows dy * xhat and dbeta = sum_rows dy as
//   column reductions without atomics: a thread per (chunk of rows, column) writes a partial sum (reads
//   are coalesced along the columns), then a thread per column adds the chunks in order. With a single
//   chunk the partial pass writes the final dgamma/dbeta itself.
// layernorm_forward_rows / layernorm_backward_dx_rows: the same maths with one THREAD per row, for
//   narrow rows (the model's width is 64). A workgroup per 64-wide row spends most of its time in
//   barriers and tree steps (12 of them per row); serial loops over a short row need none, and a batch
//   has thousands of rows to keep the threads busy. Chosen by layerNorm.ts from the row width.
override WG: u32 = 256;

struct RowParams {
  rows: u32,
  cols: u32,
  eps: f32,
}

struct PartialParams {
  rows: u32,
  cols: u32,
  chunkRows: u32,
  numChunks: u32,
}

struct ReduceParams {
  cols: u32,
  numChunks: u32,
}

// ---- layernorm_forward
@group(0) @binding(0) var<storage, read> fx: array<f32>;
@group(0) @binding(1) var<storage, read> fgamma: array<f32>;
@group(0) @binding(2) var<storage, read> fbeta: array<f32>;
@group(0) @binding(3) var<storage, read_write> fy: array<f32>;
@group(0) @binding(4) var<storage, read_write> fmean: array<f32>;
@group(0) @binding(5) var<storage, read_write> frstd: array<f32>;
@group(0) @binding(6) var<uniform> fparams: RowParams;

// ---- layernorm_backward_dx
@group(0) @binding(0) var<storage, read> bdy: array<f32>;
@group(0) @binding(1) var<storage, read> bx: array<f32>;
@group(0) @binding(2) var<storage, read> bgamma: array<f32>;
@group(0) @binding(3) var<storage, read> bmean: array<f32>;
@group(0) @binding(4) var<storage, read> brstd: array<f32>;
@group(0) @binding(5) var<storage, read_write> bdx: array<f32>;
@group(0) @binding(6) var<uniform> bparams: RowParams;

// ---- layernorm_backward_params_partial
@group(0) @binding(0) var<storage, read> pdy: array<f32>;
@group(0) @binding(1) var<storage, read> px: array<f32>;
@group(0) @binding(2) var<storage, read> pmean: array<f32>;
@group(0) @binding(3) var<storage, read> prstd: array<f32>;
@group(0) @binding(4) var<storage, read_write> partialGamma: array<f32>; // [numChunks, cols]
@group(0) @binding(5) var<storage, read_write> partialBeta: array<f32>;
@group(0) @binding(6) var<uniform> pparams: PartialParams;

// ---- layernorm_backward_params_reduce
@group(0) @binding(0) var<storage, read> rpartialGamma: array<f32>;
@group(0) @binding(1) var<storage, read> rpartialBeta: array<f32>;
@group(0) @binding(2) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(3) var<storage, read_write> dbeta: array<f32>;
@group(0) @binding(4) var<uniform> rparams: ReduceParams;

var<workgroup> redA: array<f32, WG>;
var<workgroup> redB: array<f32, WG>;

/** Sum of redA over the workgroup, visible to every thread. */
fn sumA(lid: u32, value: f32) -> f32 {
  redA[lid] = value;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      redA[lid] += redA[lid + stride];
    }
    workgroupBarrier();
  }
  let total = redA[0];
  workgroupBarrier(); // everyone has read redA[0] before the next reduction overwrites it
  return total;
}

// Per-row pieces shared by the workgroup-per-row and thread-per-row entry points: each covers the entries
// c = first, first + step, … of a row (a workgroup passes its thread index and WG, a lone thread 0 and 1).

/** Partial sum of x - x0 (x0: the row's first entry). */
fn fwdShiftedSum(off: u32, cols: u32, x0: f32, first: u32, step: u32) -> f32 {
  var s = 0.0;
  for (var c = first; c < cols; c += step) {
    s += fx[off + c] - x0;
  }
  return s;
}

/** Partial sum of squares of (x - x0) - shift, shift = mean - x0. */
fn fwdCentredSquares(off: u32, cols: u32, x0: f32, shift: f32, first: u32, step: u32) -> f32 {
  var v = 0.0;
  for (var c = first; c < cols; c += step) {
    let d = (fx[off + c] - x0) - shift;
    v += d * d;
  }
  return v;
}

fn fwdWrite(off: u32, cols: u32, x0: f32, shift: f32, rs: f32, first: u32, step: u32) {
  for (var c = first; c < cols; c += step) {
    fy[off + c] = ((fx[off + c] - x0) - shift) * rs * fgamma[c] + fbeta[c];
  }
}

/** Partial sums of g = dy * gamma and of g * xhat. */
fn dxSums(off: u32, cols: u32, mu: f32, rs: f32, first: u32, step: u32) -> vec2<f32> {
  var sums = vec2<f32>(0.0, 0.0);
  for (var c = first; c < cols; c += step) {
    let g = bdy[off + c] * bgamma[c];
    sums += vec2<f32>(g, g * (bx[off + c] - mu) * rs);
  }
  return sums;
}

fn dxWrite(off: u32, cols: u32, mu: f32, rs: f32, mg: f32, mgx: f32, first: u32, step: u32) {
  for (var c = first; c < cols; c += step) {
    let xhat = (bx[off + c] - mu) * rs;
    bdx[off + c] = rs * (bdy[off + c] * bgamma[c] - mg - xhat * mgx);
  }
}

@compute @workgroup_size(WG)
fn layernorm_forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                     @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= fparams.rows) {
    return; // uniform per workgroup
  }
  let cols = fparams.cols;
  let off = row * cols;
  let x0 = fx[off];
  let shift = sumA(lid, fwdShiftedSum(off, cols, x0, lid, WG)) / f32(cols); // mean - x0
  let rs = 1.0 / sqrt(sumA(lid, fwdCentredSquares(off, cols, x0, shift, lid, WG)) / f32(cols) + fparams.eps);
  fwdWrite(off, cols, x0, shift, rs, lid, WG);
  if (lid == 0u) {
    fmean[row] = x0 + shift;
    frstd[row] = rs;
  }
}

@compute @workgroup_size(WG)
fn layernorm_forward_rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                          @builtin(local_invocation_index) lid: u32) {
  let row = (wid.y * nwg.x + wid.x) * WG + lid;
  if (row >= fparams.rows) {
    return;
  }
  let cols = fparams.cols;
  let off = row * cols;
  let x0 = fx[off];
  let shift = fwdShiftedSum(off, cols, x0, 0u, 1u) / f32(cols);
  let rs = 1.0 / sqrt(fwdCentredSquares(off, cols, x0, shift, 0u, 1u) / f32(cols) + fparams.eps);
  fwdWrite(off, cols, x0, shift, rs, 0u, 1u);
  fmean[row] = x0 + shift;
  frstd[row] = rs;
}

@compute @workgroup_size(WG)
fn layernorm_backward_dx(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                         @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= bparams.rows) {
    return; // uniform per workgroup
  }
  let cols = bparams.cols;
  let off = row * cols;
  let mu = bmean[row];
  let rs = brstd[row];
  let sums = dxSums(off, cols, mu, rs, lid, WG);
  redA[lid] = sums.x;
  redB[lid] = sums.y;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      redA[lid] += redA[lid + stride];
      redB[lid] += redB[lid + stride];
    }
    workgroupBarrier();
  }
  dxWrite(off, cols, mu, rs, redA[0] / f32(cols), redB[0] / f32(cols), lid, WG);
}

@compute @workgroup_size(WG)
fn layernorm_backward_dx_rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                              @builtin(local_invocation_index) lid: u32) {
  let row = (wid.y * nwg.x + wid.x) * WG + lid;
  if (row >= bparams.rows) {
    return;
  }
  let cols = bparams.cols;
  let off = row * cols;
  let mu = bmean[row];
  let rs = brstd[row];
  let sums = dxSums(off, cols, mu, rs, 0u, 1u);
  dxWrite(off, cols, mu, rs, sums.x / f32(cols), sums.y / f32(cols), 0u, 1u);
}

@compute @workgroup_size(WG)
fn layernorm_backward_params_partial(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                                     @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  let cols = pparams.cols;
  if (i >= pparams.numChunks * cols) {
    return;
  }
  let chunk = i / cols;
  let c = i % cols;
  let r0 = chunk * pparams.chunkRows;
  let r1 = min(r0 + pparams.chunkRows, pparams.rows);
  var sg = 0.0;
  var sb = 0.0;
  for (var r = r0; r < r1; r++) {
    let d = pdy[r * cols + c];
    sg += d * (px[r * cols + c] - pmean[r]) * prstd[r];
    sb += d;
  }
  partialGamma[i] = sg;
  partialBeta[i] = sb;
}

@compute @workgroup_size(WG)
fn layernorm_backward_params_reduce(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                                    @builtin(local_invocation_index) lid: u32) {
  let c = (wid.y * nwg.x + wid.x) * WG + lid;
  let cols = rparams.cols;
  if (c >= cols) {
    return;
  }
  var sg = 0.0;
  var sb = 0.0;
  for (var k = 0u; k < rparams.numChunks; k++) {
    sg += rpartialGamma[k * cols + c];
    sb += rpartialBeta[k * cols + c];
  }
  dgamma[c] = sg;
  dbeta[c] = sb;
}
