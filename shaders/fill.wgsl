// Fills a buffer with one 32-bit pattern (an f32 or an i32, reinterpreted by the caller).
// The convention every kernel here follows: storages at @binding(0..n-1), uniforms last, a linear
// index recovered from a 2-D grid (see grid1D in kernel.ts), and a bounds check.
override WG: u32 = 256;

struct Params {
  count: u32,
  bits: u32,
}

@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@group(0) @binding(1) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= params.count) { return; }
  out[i] = params.bits;
}
