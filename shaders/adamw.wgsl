// AdamW (PyTorch torch.optim.AdamW), in place on param, m, v; one invocation per element:
//   g = grad * scale;  m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g²
//   p -= lr * (m/bc1 / (sqrt(v/bc2) + eps) + wd * p)       bc1 = 1 - b1^t, bc2 = 1 - b2^t (from TS)
// scale = gradScale[0] (the clipping factor, read on the GPU) when hasScale, else 1; without a scale the
// caller binds grad in its place, so the layout never changes.
override WG: u32 = 256;

struct Params {
  count: u32,
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
}

@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<storage, read> gradScale: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= params.count) { return; }
  let scale = select(1.0, gradScale[0], params.hasScale != 0u);
  let g = grad[i] * scale;
  let mi = params.beta1 * m[i] + params.oneMinusBeta1 * g;
  let vi = params.beta2 * v[i] + params.oneMinusBeta2 * g * g;
  m[i] = mi;
  v[i] = vi;
  let p = param[i];
  let update = (mi / params.biasCorrection1) / (sqrt(vi / params.biasCorrection2) + params.eps);
  param[i] = p - params.lr * (update + params.weightDecay * p);
}
