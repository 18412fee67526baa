// Global-norm clipping factor, one invocation: out[0] = min(1, maxNorm / (sqrt(sumSq[0]) + 1e-6)).
// Stays on the GPU so the optimiser step needs no readback; adamw.wgsl multiplies grads by it.
struct Params {
  maxNorm: f32,
}

@group(0) @binding(0) var<storage, read> sumSq: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(1)
fn main() {
  out[0] = min(1.0, params.maxNorm / (sqrt(sumSq[0]) + 1e-6));
}
