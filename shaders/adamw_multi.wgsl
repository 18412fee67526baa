// Multi-tensor AdamW: one dispatch updates K parameters (K as many as the device's storage-binding
// limit allows: 4 bindings each, after the grad scale). The maths is shaders/adamw.wgsl's, element for
// element. Thread i of the dispatch updates element i of the concatenation of the K parameters:
// parameter k owns the indices [ends[k-1], ends[k]).
//
// Template step (kernels/optimizer.ts, adamwMultiCode): this file is followed by, for each k < K,
//   @group(0) @binding(1 + 4k) p{k} (read_write), g{k} (read), m{k}, v{k} (read_write)
//   fn step{k}(i: u32, scale: f32)   — adamwElement on element i of parameter k
// then `@group(0) @binding(1 + 4K) var<uniform> params: Params` (the repo's convention: the uniform
// block after the storages), and `fn stepAt(i: u32, scale: f32)`, which finds i's parameter and calls
// its step{k}.
override WG: u32 = 256;

struct Params {
  total: u32,
  hasScale: u32,
  lr: f32,
  beta1: f32,
  oneMinusBeta1: f32,
  beta2: f32,
  oneMinusBeta2: f32,
  eps: f32,
  weightDecay: f32,
  biasCorrection1: f32,
  biasCorrection2: f32,
  groups: u32,
  ends: array<vec4<u32>, 2>, // cumulative element counts, up to 8 parameters
}

@group(0) @binding(0) var<storage, read> gradScale: array<f32>;

fn endOf(k: u32) -> u32 {
  return params.ends[k / 4u][k % 4u];
}

/** (p, m, v) after one step, from p, the scaled gradient g, m and v. */
fn adamwElement(p: f32, g: f32, m: f32, v: f32) -> vec3<f32> {
  let mi = params.beta1 * m + params.oneMinusBeta1 * g;
  let vi = params.beta2 * v + params.oneMinusBeta2 * g * g;
  let update = (mi / params.biasCorrection1) / (sqrt(vi / params.biasCorrection2) + params.eps);
  return vec3<f32>(p - params.lr * (update + params.weightDecay * p), mi, vi);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= params.total) {
    return;
  }
  stepAt(i, select(1.0, gradScale[0], params.hasScale != 0u));
}
