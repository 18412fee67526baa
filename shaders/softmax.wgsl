// Row softmax / log-softmax over x viewed as [rows, cols], with causal and key-padding masks, and its
// gradient. One workgroup per row (row = wid.y * nwg.x + wid.x, so rows may exceed 65535); each thread
// strides over the columns by WG, and the row statistics meet in a tree reduction in workgroup memory.
// The *_rows entry points give narrow rows a thread each instead (same helpers with first 0, step 1):
// no barriers or tree steps, which dominate a workgroup's time on rows of a few dozen entries.
//
// Forward statistics are gathered in one pass with an online max/sum (each thread keeps its running max
// m and sum s of exp(x - m), rescaling s when m grows), so the row is read twice in all (stats, write).
// Max-shifting keeps logits of ±1e4 finite. -Infinity is never used in arithmetic: a visible -Infinity
// logit is skipped (it is probability 0), and an empty partial (s = 0) is ignored when merging, so a
// fully masked row gives s = 0 and is written as all 0 (softmax) / all -Infinity (log-softmax).
// (Infinities are compared against -FLT_MAX rather than -inf so the test survives fast-math compilers.)
override WG: u32 = 256;

const NEG_FLT_MAX: f32 = bitcast<f32>(0xff7fffffu);
// -Infinity as a runtime value: a const -inf is a shader-creation error in WGSL.
var<private> NEG_INF_BITS: u32 = 0xff800000u;

struct Params {
  rows: u32,
  cols: u32,
  causal: u32, // 1: key c is visible to row r only if c <= (r % queryLen) + cols - queryLen
  queryLen: u32,
  hasKeyMask: u32, // 1: keyMask[(r / rowsPerBatch) * cols + c] == 0 hides key c
  rowsPerBatch: u32,
  logMode: u32, // 1: log-softmax
}

// ---- softmax_forward bindings
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> keyMask: array<f32>; // bound to x when there is no key mask
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

// ---- softmax_backward bindings (a different entry point: the binding numbers may be reused)
@group(0) @binding(0) var<storage, read> y: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> gradParams: Params;

var<workgroup> redM: array<f32, WG>;
var<workgroup> redS: array<f32, WG>;

fn negInf() -> f32 {
  return bitcast<f32>(NEG_INF_BITS);
}

/** Columns [end, cols) are causally masked for this row. */
fn visibleEnd(row: u32) -> u32 {
  if (params.causal == 0u) {
    return params.cols;
  }
  let last = i32(row % params.queryLen) + i32(params.cols) - i32(params.queryLen);
  return u32(clamp(last + 1, 0, i32(params.cols)));
}

fn keyVisible(kmOff: u32, c: u32) -> bool {
  return params.hasKeyMask == 0u || keyMask[kmOff + c] != 0.0;
}

/** (m, s) of two partials: s = s1 * exp(m1 - M) + s2 * exp(m2 - M) with M = max(m1, m2); empty partials pass through. */
fn mergeMaxSum(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  if (b.y == 0.0) {
    return a;
  }
  if (a.y == 0.0) {
    return b;
  }
  let m = max(a.x, b.x);
  return vec2<f32>(m, a.y * exp(a.x - m) + b.y * exp(b.x - m));
}

/** The online (max, sum) of the visible entries c = first, first + step, … of a row. */
fn rowMaxSum(off: u32, end: u32, kmOff: u32, first: u32, step: u32) -> vec2<f32> {
  var ms = vec2<f32>(NEG_FLT_MAX, 0.0);
  for (var c = first; c < end; c += step) {
    if (!keyVisible(kmOff, c)) {
      continue;
    }
    let v = x[off + c];
    if (v < NEG_FLT_MAX) {
      continue; // a -Infinity logit: probability 0
    }
    if (ms.y == 0.0) {
      ms = vec2<f32>(v, 1.0);
    } else if (v > ms.x) {
      ms = vec2<f32>(v, ms.y * exp(ms.x - v) + 1.0);
    } else {
      ms.y += exp(v - ms.x);
    }
  }
  return ms;
}

/** Writes entries c = first, first + step, … of a row from its (max, sum). */
fn writeSoftmaxRow(off: u32, cols: u32, end: u32, kmOff: u32, first: u32, step: u32, m: f32, s: f32) {
  let logMode = params.logMode != 0u;
  let hidden = select(0.0, negInf(), logMode);
  if (s == 0.0) {
    // Nothing visible: no distribution, written as hidden instead of 0/0.
    for (var c = first; c < cols; c += step) {
      out[off + c] = hidden;
    }
    return;
  }
  let logS = log(s);
  let invS = 1.0 / s;
  for (var c = first; c < cols; c += step) {
    var result = hidden;
    if (c < end && keyVisible(kmOff, c)) {
      let v = x[off + c];
      if (v >= NEG_FLT_MAX) {
        // (v - m) - log s: both terms <= 0, so no cancellation against a large max.
        result = select(exp(v - m) * invS, (v - m) - logS, logMode);
      }
    }
    out[off + c] = result;
  }
}

@compute @workgroup_size(WG)
fn softmax_forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                   @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= params.rows) {
    return; // uniform per workgroup: every thread of this workgroup leaves together
  }
  let off = row * params.cols;
  let end = visibleEnd(row);
  let kmOff = (row / params.rowsPerBatch) * params.cols;
  let ms = rowMaxSum(off, end, kmOff, lid, WG);
  redM[lid] = ms.x;
  redS[lid] = ms.y;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      let merged = mergeMaxSum(vec2<f32>(redM[lid], redS[lid]), vec2<f32>(redM[lid + stride], redS[lid + stride]));
      redM[lid] = merged.x;
      redS[lid] = merged.y;
    }
    workgroupBarrier();
  }
  writeSoftmaxRow(off, params.cols, end, kmOff, lid, WG, redM[0], redS[0]);
}

/** One thread per row (narrow rows, e.g. attention over ≤ 48 keys): no barriers, no tree. */
@compute @workgroup_size(WG)
fn softmax_forward_rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                        @builtin(local_invocation_index) lid: u32) {
  let row = (wid.y * nwg.x + wid.x) * WG + lid;
  if (row >= params.rows) {
    return;
  }
  let off = row * params.cols;
  let end = visibleEnd(row);
  let kmOff = (row / params.rowsPerBatch) * params.cols;
  let ms = rowMaxSum(off, end, kmOff, 0u, 1u);
  writeSoftmaxRow(off, params.cols, end, kmOff, 0u, 1u, ms.x, ms.y);
}

// softmax:     dx = y * (dy - sum(dy * y))
// log-softmax: dx = dy - exp(y) * sum(dy)
// Masked entries (y = 0 for softmax, y = -Infinity for log-softmax) are outside the distribution: their
// dy is left out of the row sum and their dx is 0.
/** Entries c = first, first + step, … of a row's sum(dy * y) (softmax) or sum(dy) (log-softmax). */
fn gradRowSum(off: u32, cols: u32, first: u32, step: u32) -> f32 {
  let logMode = gradParams.logMode != 0u;
  var acc = 0.0;
  for (var c = first; c < cols; c += step) {
    let yc = y[off + c];
    if (logMode) {
      if (yc >= NEG_FLT_MAX) {
        acc += dy[off + c];
      }
    } else if (yc != 0.0) {
      acc += dy[off + c] * yc;
    }
  }
  return acc;
}

fn writeGradRow(off: u32, cols: u32, first: u32, step: u32, total: f32) {
  let logMode = gradParams.logMode != 0u;
  for (var c = first; c < cols; c += step) {
    let yc = y[off + c];
    var g = 0.0;
    if (logMode) {
      if (yc >= NEG_FLT_MAX) {
        g = dy[off + c] - exp(yc) * total;
      }
    } else if (yc != 0.0) {
      g = yc * (dy[off + c] - total);
    }
    dx[off + c] = g;
  }
}

@compute @workgroup_size(WG)
fn softmax_backward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                    @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= gradParams.rows) {
    return;
  }
  let cols = gradParams.cols;
  let off = row * cols;
  redS[lid] = gradRowSum(off, cols, lid, WG);
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      redS[lid] += redS[lid + stride];
    }
    workgroupBarrier();
  }
  writeGradRow(off, cols, lid, WG, redS[0]);
}

@compute @workgroup_size(WG)
fn softmax_backward_rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                         @builtin(local_invocation_index) lid: u32) {
  let row = (wid.y * nwg.x + wid.x) * WG + lid;
  if (row >= gradParams.rows) {
    return;
  }
  let cols = gradParams.cols;
  let off = row * cols;
  writeGradRow(off, cols, 0u, 1u, gradRowSum(off, cols, 0u, 1u));
}
