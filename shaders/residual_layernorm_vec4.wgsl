// residual_layernorm.wgsl's two kernels for rows of whole quads (cols a multiple of 4): the same
// bindings, maths and outputs, every row and column read and written as vec4s — one load per four
// floats, which on a software adapter (SwiftShader) is most of these kernels' cost. The host picks
// these where cols % 4 == 0 (kernels/residualLayerNorm.ts); CPU oracle: src/engine/backend/cpu/
// fusedTraining.ts.
// residual_layernorm_forward_vec4: a thread per row, as the scalar kernel (two passes about the row's
//   first element).
// residual_layernorm_backward_vec4: threads 0 .. cols/4−1 each sum one column quad over all rows for
//   dgamma and dbeta; threads cols/4 .. cols/4+rows−1 each write one row of dx.
override WG: u32 = 64;

struct Params {
  rows: u32,
  cols: u32,
  eps: f32,
  /** Forward: whether delta is bound (else s = x). Backward: whether dSum is. */
  hasSecond: u32,
}

// ---- residual_layernorm_forward_vec4
@group(0) @binding(0) var<storage, read> fx: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> fdelta: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> fgamma: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> fbeta: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> fsum: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> fy: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> fstats: array<f32>;
@group(0) @binding(7) var<uniform> fparams: Params;

// ---- residual_layernorm_backward_vec4
@group(0) @binding(0) var<storage, read> bdy: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> bdsum: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> bs: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> bgamma: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> bstats: array<f32>;
@group(0) @binding(5) var<storage, read_write> bdx: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> bdgamma: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read_write> bdbeta: array<vec4<f32>>;
@group(0) @binding(8) var<uniform> bparams: Params;

fn hsum(v: vec4<f32>) -> f32 {
  return (v.x + v.y) + (v.z + v.w);
}

@compute @workgroup_size(WG)
fn residual_layernorm_forward_vec4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                                   @builtin(local_invocation_index) lid: u32) {
  let row = (wid.y * nwg.x + wid.x) * WG + lid;
  let rows = fparams.rows;
  if (row >= rows) {
    return;
  }
  let cols = fparams.cols;
  let q = cols / 4u;
  let off = row * q;
  for (var c = 0u; c < q; c++) {
    var s = fx[off + c];
    if (fparams.hasSecond != 0u) {
      s += fdelta[off + c];
    }
    fsum[off + c] = s;
  }
  let x0 = fsum[off].x;
  var shiftSum = vec4<f32>(0.0);
  for (var c = 0u; c < q; c++) {
    shiftSum += fsum[off + c] - x0;
  }
  let shift = hsum(shiftSum) / f32(cols); // mean − x0
  var v = vec4<f32>(0.0);
  for (var c = 0u; c < q; c++) {
    let d = (fsum[off + c] - x0) - shift;
    v += d * d;
  }
  let rs = 1.0 / sqrt(hsum(v) / f32(cols) + fparams.eps);
  for (var c = 0u; c < q; c++) {
    fy[off + c] = ((fsum[off + c] - x0) - shift) * rs * fgamma[c] + fbeta[c];
  }
  fstats[row] = x0 + shift;
  fstats[rows + row] = rs;
}

@compute @workgroup_size(WG)
fn residual_layernorm_backward_vec4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                                    @builtin(local_invocation_index) lid: u32) {
  let rows = bparams.rows;
  let cols = bparams.cols;
  let q = cols / 4u;
  // The column sums come first: each is a serial loop over every row (see residual_layernorm.wgsl).
  let u = (wid.y * nwg.x + wid.x) * WG + lid;
  if (u < q) {
    var sg = vec4<f32>(0.0);
    var sb = vec4<f32>(0.0);
    for (var r = 0u; r < rows; r++) {
      let d = bdy[r * q + u];
      sg += d * (bs[r * q + u] - bstats[r]) * bstats[rows + r];
      sb += d;
    }
    bdgamma[u] = sg;
    bdbeta[u] = sb;
    return;
  }
  let t = u - q;
  if (t >= rows) {
    return;
  }
  let off = t * q;
  let mu = bstats[t];
  let rs = bstats[rows + t];
  var sg = vec4<f32>(0.0);
  var sgx = vec4<f32>(0.0);
  for (var c = 0u; c < q; c++) {
    let g = bdy[off + c] * bgamma[c];
    sg += g;
    sgx += g * (bs[off + c] - mu) * rs;
  }
  let mg = hsum(sg) / f32(cols);
  let mgx = hsum(sgx) / f32(cols);
  for (var c = 0u; c < q; c++) {
    let xhat = (bs[off + c] - mu) * rs;
    var d = rs * (bdy[off + c] * bgamma[c] - mg - xhat * mgx);
    if (bparams.hasSecond != 0u) {
      d += bdsum[off + c];
    }
    bdx[off + c] = d;
  }
}
