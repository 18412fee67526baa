// GRPO-family advantages over consecutive groups (docs/rl-reference.md, "Advantages"; TRL semantics):
//   group: (r - mean_g) / (std_g + eps)      batch: (r - mean_g) / (std_batch + eps)      none: r - mean_g
// std is Bessel-corrected (n - 1); a group (or batch) of one has std 0.
//
// Two entry points over the same bindings:
// - `batch_std`: one workgroup computes the whole batch's std into stats[0] ('batch' only, launched first,
//   so the value never leaves the GPU);
// - `main`: one workgroup per group (2-D grid as in grid1D) writes that group's advantages.
// Means are taken around a pivot (the first reward of the range): identical rewards then give
// mean == r exactly, so a zero-variance group yields exactly 0 under every scale, as the CPU oracle does.
override WG: u32 = 64; // a power of two: the tree reductions halve it

struct Params {
  numGroups: u32,
  groupSize: u32,
  mode: u32, // 0 group, 1 batch, 2 none
  eps: f32,
}

@group(0) @binding(0) var<storage, read> rewards: array<f32>;
@group(0) @binding(1) var<storage, read_write> stats: array<f32>; // [1]: the batch std
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> red: array<f32, WG>;

// Sum of `v` over the workgroup; every invocation gets the result.
fn workgroupSum(lid: u32, v: f32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { red[lid] = red[lid] + red[lid + s]; }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier(); // everyone has read red[0] before it is overwritten by a next call
  return total;
}

// Mean of rewards[start, start + n) computed around the pivot rewards[start] (n >= 1).
fn rangeMean(lid: u32, start: u32, n: u32) -> f32 {
  let pivot = rewards[start];
  var acc = 0.0;
  for (var i = lid; i < n; i = i + WG) { acc = acc + (rewards[start + i] - pivot); }
  return pivot + workgroupSum(lid, acc) / f32(n);
}

// Bessel-corrected std of rewards[start, start + n) around `mean`; 0 when n < 2.
fn rangeStd(lid: u32, start: u32, n: u32, mean: f32) -> f32 {
  var acc = 0.0;
  for (var i = lid; i < n; i = i + WG) {
    let d = rewards[start + i] - mean;
    acc = acc + d * d;
  }
  let ss = workgroupSum(lid, acc);
  if (n < 2u) { return 0.0; }
  return sqrt(ss / f32(n - 1u));
}

@compute @workgroup_size(WG)
fn batch_std(@builtin(local_invocation_index) lid: u32) {
  _ = &out; // keeps the bind-group layout identical to `main`'s
  let n = params.numGroups * params.groupSize;
  let mean = rangeMean(lid, 0u, n);
  let sd = rangeStd(lid, 0u, n, mean);
  if (lid == 0u) { stats[0] = sd; }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let g = wid.y * nwg.x + wid.x;
  if (g >= params.numGroups) { return; } // uniform per workgroup, so the barriers below stay uniform
  let n = params.groupSize;
  let start = g * n;
  let mean = rangeMean(lid, start, n);
  var denom = 1.0;
  if (params.mode == 0u) {
    denom = rangeStd(lid, start, n, mean) + params.eps;
  } else if (params.mode == 1u) {
    denom = stats[0] + params.eps;
  }
  for (var i = lid; i < n; i = i + WG) {
    out[start + i] = (rewards[start + i] - mean) / denom;
  }
}
