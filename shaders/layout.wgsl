// Strided views, dtype-agnostic: elements are moved as raw 32-bit patterns (array<u32>), so the same
// pipelines copy f32 activations and i32 token ids. One thread per element of `shape`; element i of the
// contiguous side maps to `offset + sum_k coord_k(i) * strides_k` on the strided side.
//   stridedCopy  out[i] = src[strided(i)]      (gather a view into a new contiguous storage)
//   copyInto     out[strided(i)] = src[i]      (scatter into a view of an existing storage, in place)
// The caller drops size-1 axes and merges contiguous ones first, so RANK is usually 1 or 2.
override WG: u32 = 256;
override RANK: u32 = 1; // 1..6

struct Params {
  shape: array<vec4<u32>, 2>,
  strides: array<vec4<u32>, 2>, // i32 bit patterns (negative strides walk backwards)
  count: u32,
  offset: u32,
}

@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

fn strided_index(i: u32) -> i32 {
  var rest = i;
  var at = i32(params.offset);
  for (var d = RANK; d > 0u; d--) {
    let k = d - 1u;
    let n = params.shape[k >> 2u][k & 3u];
    at += i32(rest % n) * bitcast<i32>(params.strides[k >> 2u][k & 3u]);
    rest = rest / n;
  }
  return at;
}

@compute @workgroup_size(WG)
fn stridedCopy(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
               @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= params.count) { return; }
  out[i] = src[strided_index(i)];
}

@compute @workgroup_size(WG)
fn copyInto(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
            @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= params.count) { return; }
  out[strided_index(i)] = src[i];
}
