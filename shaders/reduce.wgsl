// Reduction (sum / max / min) over the middle axis of x viewed as [outer, size, inner], in f32.
// Each launch reduces every (outer, chunk, inner) slice of `chunkLen` consecutive axis elements into
// out[(o * chunks + c) * inner + j]; with chunks > 1 the caller reduces that [outer, chunks, inner]
// partial again, so a huge axis is split over many workgroups instead of one long serial walk (and
// sums are accumulated in short runs, which also keeps f32 rounding error small).
//   reduceRows  inner == 1, long rows: one workgroup per (row, chunk), a strided walk per thread, then
//               a tree reduction in workgroup memory. Reads are coalesced along the row.
//   reduceCols  inner > 1 (or short rows): one thread per output element walking the axis; neighbouring
//               threads read neighbouring columns, so reads are coalesced too.
// OP: 0 sum 1 max 2 min. max/min propagate NaN like the CPU oracle. `init` is the identity
// (0, -inf, +inf), passed as a uniform because WGSL cannot spell infinity as a constant.
override WG: u32 = 256; // a power of two (tree reduction)
override OP: u32 = 0;

struct Params {
  outer: u32,
  size: u32,
  inner: u32,
  chunks: u32,
  chunkLen: u32,
  init: f32,
}

@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> partial: array<f32, WG>;

/** NaN from the bits: drivers may fold `v != v` to false. */
fn is_nan(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

fn combine(acc: f32, v: f32) -> f32 {
  switch (OP) {
    case 0u: { return acc + v; }
    // A NaN operand wins (acc first, so once NaN it stays NaN), as in the oracle's comparison chain.
    case 1u: { return select(select(select(acc, v, v > acc), v, is_nan(v)), acc, is_nan(acc)); }
    default: { return select(select(select(acc, v, v < acc), v, is_nan(v)), acc, is_nan(acc)); }
  }
}

@compute @workgroup_size(WG)
fn reduceRows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
              @builtin(local_invocation_index) lid: u32) {
  let g = wid.y * nwg.x + wid.x; // = row * chunks + chunk; uniform across the workgroup
  if (g >= params.outer * params.chunks) { return; }
  let row = g / params.chunks;
  let begin = (g % params.chunks) * params.chunkLen;
  let end = min(params.size, begin + params.chunkLen);
  let base = row * params.size;
  var acc = params.init;
  for (var s = begin + lid; s < end; s += WG) {
    acc = combine(acc, x[base + s]);
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      partial[lid] = combine(partial[lid], partial[lid + stride]);
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    out[g] = partial[0];
  }
}

@compute @workgroup_size(WG)
fn reduceCols(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
              @builtin(local_invocation_index) lid: u32) {
  let t = (wid.y * nwg.x + wid.x) * WG + lid; // = (o * chunks + c) * inner + j
  if (t >= params.outer * params.chunks * params.inner) { return; }
  let j = t % params.inner;
  let oc = t / params.inner;
  let o = oc / params.chunks;
  let begin = (oc % params.chunks) * params.chunkLen;
  let end = min(params.size, begin + params.chunkLen);
  var at = (o * params.size + begin) * params.inner + j;
  var acc = params.init;
  for (var s = begin; s < end; s++) {
    acc = combine(acc, x[at]);
    at += params.inner;
  }
  out[t] = acc;
}
