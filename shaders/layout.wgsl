// Strided views, dtype-agnostic: elements are moved as raw 32-bit patterns (array<u32>), so the same
// pipelines copy f32 activations and i32 token ids. Element i of the contiguous side maps to
// `offset + sum_k coord_k(i) * strides_k` on the strided side.
//   stridedCopy  out[i] = src[strided(i)]      (gather a view into a new contiguous storage)
//   copyInto     out[strided(i)] = src[i]      (scatter into a view of an existing storage, in place)
// The caller drops size-1 axes and merges contiguous ones first, so RANK is usually 1 to 4.
//
// Quad variants (stridedCopy4, copyInto4): one thread moves 4 consecutive elements of the contiguous
// side, used when the innermost axis has a length divisible by 4. On software adapters (SwiftShader)
// the per-invocation index maths dominates a copy, so a quarter of the invocations computing it once
// per quad is several times faster. `shape` then holds the innermost length in quads and its stride
// is the step per quad (4 × the element stride `inner`). On the strided side:
//   VEC   stride 1 from an aligned start (offset and every other stride multiples of 4): one vec4.
//   else  (stridedCopy4 only) any stride, e.g. 0 for a broadcast or 64 for a transpose: 4 elements
//         at `inner` apart, read through the vec4 view as src4[k / 4][k % 4].
// copyInto4 is VEC only (4 scalar stores through a vec4 view could race with a neighbour's quad);
// the scalar entry points remain for everything else (odd lengths, misaligned scatters).
override WG: u32 = 256;
override RANK: u32 = 1; // 1..6
override VEC: bool = true; // quad variants: the strided side is whole aligned vec4s

struct Params { // axes innermost first
  shape: array<vec4<u32>, 2>,
  strides: array<vec4<u32>, 2>, // i32 bit patterns (negative strides walk backwards)
  count: u32, // threads: elements, or quads for the quad variants
  offset: u32,
  inner: u32, // quad variants: the innermost element stride (i32 bits)
}

@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

@group(0) @binding(0) var<storage, read_write> out4: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read> src4: array<vec4<u32>>;

/** Axis k's (length, stride); k is always a constant, see strided_index. */
fn axis(k: u32) -> vec2<u32> {
  switch (k) {
    case 0u: { return vec2(params.shape[0].x, params.strides[0].x); }
    case 1u: { return vec2(params.shape[0].y, params.strides[0].y); }
    case 2u: { return vec2(params.shape[0].z, params.strides[0].z); }
    case 3u: { return vec2(params.shape[0].w, params.strides[0].w); }
    case 4u: { return vec2(params.shape[1].x, params.strides[1].x); }
    default: { return vec2(params.shape[1].y, params.strides[1].y); }
  }
}

/** Peels the coordinate along axis `ax` off *rest and adds its offset to *at. */
fn step(rest: ptr<function, u32>, at: ptr<function, i32>, ax: vec2<u32>) {
  *at += i32(*rest % ax.x) * bitcast<i32>(ax.y);
  *rest /= ax.x;
}

/**
 * The strided side's index of thread index i. Written out axis by axis with constant axis numbers
 * rather than as a loop indexing the uniform arrays: on SwiftShader that loop cost several times the
 * rest of the kernel. The outermost coordinate is what is left after the inner ones.
 */
fn strided_index(i: u32) -> u32 {
  var rest = i;
  var at = bitcast<i32>(params.offset);
  if (RANK > 1u) { step(&rest, &at, axis(0u)); }
  if (RANK > 2u) { step(&rest, &at, axis(1u)); }
  if (RANK > 3u) { step(&rest, &at, axis(2u)); }
  if (RANK > 4u) { step(&rest, &at, axis(3u)); }
  if (RANK > 5u) { step(&rest, &at, axis(4u)); }
  return u32(at + i32(rest) * bitcast<i32>(axis(RANK - 1u).y));
}

fn thread_index(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * WG + lid;
}

@compute @workgroup_size(WG)
fn stridedCopy(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
               @builtin(local_invocation_index) lid: u32) {
  let i = thread_index(wid, nwg, lid);
  if (i >= params.count) { return; }
  out[i] = src[strided_index(i)];
}

@compute @workgroup_size(WG)
fn copyInto(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
            @builtin(local_invocation_index) lid: u32) {
  let i = thread_index(wid, nwg, lid);
  if (i >= params.count) { return; }
  out[strided_index(i)] = src[i];
}

@compute @workgroup_size(WG)
fn stridedCopy4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                @builtin(local_invocation_index) lid: u32) {
  let q = thread_index(wid, nwg, lid);
  if (q >= params.count) { return; }
  let at = strided_index(q);
  if (VEC) {
    out4[q] = src4[at >> 2u]; // at is a multiple of 4
  } else {
    let s = params.inner; // wraps like the i32 it is
    let k = vec4(at, at + s, at + 2u * s, at + 3u * s);
    out4[q] = vec4(src4[k.x >> 2u][k.x & 3u], src4[k.y >> 2u][k.y & 3u], src4[k.z >> 2u][k.z & 3u], src4[k.w >> 2u][k.w & 3u]);
  }
}

@compute @workgroup_size(WG)
fn copyInto4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) lid: u32) {
  let q = thread_index(wid, nwg, lid);
  if (q >= params.count) { return; }
  out4[strided_index(q) >> 2u] = src4[q];
}
