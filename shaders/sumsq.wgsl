// Sum of squares, stage 1: partial sums over up to 7 storages in one launch (the 8th storage binding
// holds the partials; 8 is WebGPU's guaranteed maxStorageBuffersPerShaderStage).
// The launch's workgroups are split into consecutive runs, one run per slot: workgroups
// [starts[s], starts[s+1]) read slot s, each one a chunk of WG * ITEMS elements, and invocation lid of
// workgroup w writes partials[(partialBase + w) * WG + lid]. Unused slots are bound to any storage and
// have count 0.
// No workgroup memory and no barrier on purpose: on a software adapter every barrier switches between
// all the emulated invocations, and a tree reduction per workgroup cost more than the squares (4 ms a
// launch on SwiftShader); the finishing kernel adds WG times more partials instead, once.
// Stage 2 (sumsq_finish.wgsl) adds the partials of every launch into one f32.
override WG: u32 = 64;
override ITEMS: u32 = 16; // elements per invocation

struct Params {
  counts: array<vec4<u32>, 2>, // elements in slot 0..6
  starts: array<vec4<u32>, 2>, // first workgroup of slot 0..7 (starts[7] = total workgroups)
  partialBase: u32,
}

@group(0) @binding(0) var<storage, read> x0: array<f32>;
@group(0) @binding(1) var<storage, read> x1: array<f32>;
@group(0) @binding(2) var<storage, read> x2: array<f32>;
@group(0) @binding(3) var<storage, read> x3: array<f32>;
@group(0) @binding(4) var<storage, read> x4: array<f32>;
@group(0) @binding(5) var<storage, read> x5: array<f32>;
@group(0) @binding(6) var<storage, read> x6: array<f32>;
@group(0) @binding(7) var<storage, read_write> partials: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;

fn load(slot: u32, i: u32) -> f32 {
  switch slot {
    case 0u: { return x0[i]; }
    case 1u: { return x1[i]; }
    case 2u: { return x2[i]; }
    case 3u: { return x3[i]; }
    case 4u: { return x4[i]; }
    case 5u: { return x5[i]; }
    default: { return x6[i]; }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let w = wid.y * nwg.x + wid.x;
  let total = params.starts[1].w; // starts[7]
  if (w >= total) { return; } // uniform per workgroup
  var slot = 0u;
  for (var s = 1u; s < 7u; s = s + 1u) {
    if (w >= params.starts[s / 4u][s % 4u]) { slot = s; }
  }
  let count = params.counts[slot / 4u][slot % 4u];
  let chunk = w - params.starts[slot / 4u][slot % 4u];
  let begin = chunk * WG * ITEMS;
  var acc = 0.0;
  for (var k = 0u; k < ITEMS; k = k + 1u) {
    let i = begin + k * WG + lid; // coalesced: neighbouring invocations read neighbouring elements
    if (i < count) {
      let x = load(slot, i);
      acc = acc + x * x;
    }
  }
  partials[(params.partialBase + w) * WG + lid] = acc;
}
