// A linear layer's bias and activation after its matmul, fused (Backend.biasActivation), and the
// backward in one launch: the input gradient and the bias gradient (a column sum) together.
// ACT: 0 none (y = x + b), 1 GELU (tanh approximation, the same formulas as elementwise.wgsl's gelu
// and gelu_grad). CPU oracle: src/engine/backend/cpu/biasActivation.ts.
//
// bias_act_forward: four elements per thread (a plain elementwise pass); bias_act_forward_vec4 the same
//   with vec4 loads where the rows are whole quads.
// bias_act_backward: a thread per column walks all rows: dpre = dy·act'(x + b), written as the input
//   gradient (ACT 1; with no activation the input gradient is dy itself and is not written), and summed
//   into dbias. No atomics and no second pass: the model's batches are a few thousand rows.
//   bias_act_backward_vec4: a thread per column quad, with vec4 loads, where rows are whole quads.
override WG: u32 = 64;
override ACT: u32 = 0;

struct Params {
  rows: u32,
  cols: u32,
}

// ---- bias_act_forward
@group(0) @binding(0) var<storage, read> fx: array<f32>;
@group(0) @binding(1) var<storage, read> fbias: array<f32>;
@group(0) @binding(2) var<storage, read_write> fy: array<f32>;
@group(0) @binding(3) var<uniform> fparams: Params;

// ---- bias_act_backward
@group(0) @binding(0) var<storage, read> bdy: array<f32>;
@group(0) @binding(1) var<storage, read> bx: array<f32>;
@group(0) @binding(2) var<storage, read> bbias: array<f32>;
@group(0) @binding(3) var<storage, read_write> bdx: array<f32>;
@group(0) @binding(4) var<storage, read_write> bdbias: array<f32>;
@group(0) @binding(5) var<uniform> bparams: Params;

const GELU_C: f32 = 0.7978845608028654; // sqrt(2 / pi)
const GELU_A: f32 = 0.044715;

fn gelu_arg(x: f32) -> f32 {
  return 2.0 * GELU_C * (x + GELU_A * x * x * x);
}

fn act(x: f32) -> f32 {
  if (ACT == 1u) {
    let v = gelu_arg(x);
    let e = exp(-abs(v));
    return x * (select(e, 1.0, v >= 0.0) / (1.0 + e));
  }
  return x;
}

fn act_grad(x: f32) -> f32 {
  if (ACT == 1u) {
    let v = gelu_arg(x);
    let e = exp(-abs(v));
    let pos = v >= 0.0;
    let s = select(e, 1.0, pos) / (1.0 + e);
    let r = select(1.0, e, pos) / (1.0 + e);
    return s + 2.0 * x * s * r * GELU_C * (1.0 + 3.0 * GELU_A * x * x);
  }
  return 1.0;
}

@compute @workgroup_size(WG)
fn bias_act_forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                    @builtin(local_invocation_index) lid: u32) {
  let t = (wid.y * nwg.x + wid.x) * WG + lid;
  let n = fparams.rows * fparams.cols;
  for (var i = t * 4u; i < min(t * 4u + 4u, n); i++) {
    fy[i] = act(fx[i] + fbias[i % fparams.cols]);
  }
}

// ---- bias_act_forward_vec4: the same, a quad per thread as vec4s, where cols is a multiple of 4 (a
// quad never straddles two rows, so its bias is one vec4): a load, not four, per operand.
@group(0) @binding(0) var<storage, read> fx4: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> fbias4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> fy4: array<vec4<f32>>;

fn act4(x: vec4<f32>) -> vec4<f32> {
  if (ACT == 1u) {
    let v = 2.0 * GELU_C * (x + GELU_A * x * x * x);
    let e = exp(-abs(v));
    return x * (select(e, vec4<f32>(1.0), v >= vec4<f32>(0.0)) / (1.0 + e));
  }
  return x;
}

@compute @workgroup_size(WG)
fn bias_act_forward_vec4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                         @builtin(local_invocation_index) lid: u32) {
  let q = (wid.y * nwg.x + wid.x) * WG + lid;
  let cols4 = fparams.cols / 4u;
  if (q >= fparams.rows * cols4) {
    return;
  }
  fy4[q] = act4(fx4[q] + fbias4[q % cols4]);
}

@compute @workgroup_size(WG)
fn bias_act_backward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                     @builtin(local_invocation_index) lid: u32) {
  let c = (wid.y * nwg.x + wid.x) * WG + lid;
  let cols = bparams.cols;
  if (c >= cols) {
    return;
  }
  let b = bbias[c];
  var sum = 0.0;
  for (var r = 0u; r < bparams.rows; r++) {
    let i = r * cols + c;
    var d = bdy[i];
    if (ACT != 0u) {
      d *= act_grad(bx[i] + b);
      bdx[i] = d;
    }
    sum += d;
  }
  bdbias[c] = sum;
}

// ---- bias_act_backward_vec4: the same, a thread per column quad, where cols is a multiple of 4.
@group(0) @binding(0) var<storage, read> bdy4: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> bx4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> bbias4: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> bdx4: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> bdbias4: array<vec4<f32>>;

fn act_grad4(x: vec4<f32>) -> vec4<f32> {
  if (ACT == 1u) {
    let v = 2.0 * GELU_C * (x + GELU_A * x * x * x);
    let e = exp(-abs(v));
    let pos = v >= vec4<f32>(0.0);
    let s = select(e, vec4<f32>(1.0), pos) / (1.0 + e);
    let r = select(vec4<f32>(1.0), e, pos) / (1.0 + e);
    return s + 2.0 * x * s * r * GELU_C * (1.0 + 3.0 * GELU_A * x * x);
  }
  return vec4<f32>(1.0);
}

@compute @workgroup_size(WG)
fn bias_act_backward_vec4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                          @builtin(local_invocation_index) lid: u32) {
  let c = (wid.y * nwg.x + wid.x) * WG + lid;
  let q = bparams.cols / 4u;
  if (c >= q) {
    return;
  }
  let b = bbias4[c];
  var sum = vec4<f32>(0.0);
  for (var r = 0u; r < bparams.rows; r++) {
    let i = r * q + c;
    var d = bdy4[i];
    if (ACT != 0u) {
      d *= act_grad4(bx4[i] + b);
      bdx4[i] = d;
    }
    sum += d;
  }
  bdbias4[c] = sum;
}
