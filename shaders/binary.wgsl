// Broadcasting binary op: out[i] = a[ai] OP b[bi], out contiguous in `shape`, one thread per element.
// ai and bi come from i's coordinates times per-operand strides (0 on a broadcast axis); the caller
// first drops size-1 axes and merges axes that are contiguous in both operands, so the common cases
// (same shape, scalar, row/column broadcast) reach the shader with RANK 1 or 2.
// OP: 0 add 1 sub 2 mul 3 div 4 max 5 min. max/min propagate NaN like Math.max/Math.min (the CPU oracle);
// the built-ins may return the other operand instead. NaN is detected from the bits: drivers may fold
// `x != x` to false.
override WG: u32 = 256;
override OP: u32 = 0;
override RANK: u32 = 1; // 1..6

struct Params {
  shape: array<vec4<u32>, 2>,
  aStrides: array<vec4<u32>, 2>, // i32 bit patterns
  bStrides: array<vec4<u32>, 2>,
  count: u32,
}

@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

fn is_nan(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

fn apply(x: f32, y: f32) -> f32 {
  switch (OP) {
    case 0u: { return x + y; }
    case 1u: { return x - y; }
    case 2u: { return x * y; }
    case 3u: { return x / y; }
    case 4u: { return select(select(max(x, y), y, is_nan(y)), x, is_nan(x)); }
    default: { return select(select(min(x, y), y, is_nan(y)), x, is_nan(x)); }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= params.count) { return; }
  var rest = i;
  var ai: i32 = 0;
  var bi: i32 = 0;
  for (var d = RANK; d > 0u; d--) {
    let k = d - 1u;
    let n = params.shape[k >> 2u][k & 3u];
    let c = i32(rest % n);
    rest = rest / n;
    ai += c * bitcast<i32>(params.aStrides[k >> 2u][k & 3u]);
    bi += c * bitcast<i32>(params.bStrides[k >> 2u][k & 3u]);
  }
  out[i] = apply(a[ai], b[bi]);
}
