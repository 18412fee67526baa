// Embedding lookup and its gradient. Ids outside [0, numRows) read zeros and contribute nothing.
//
// embedding_gather: a thread per output element (i, d): out[i, d] = table[ids[i], d].
// embedding_scatter_add: dtable[v, d] = sum over i with ids[i] = v of dy[i, d], without float atomics.
//   A thread owns one table row v and up to Q = 8 consecutive columns (embedding_scatter_add4: 8 groups
//   of 4 columns, as vec4s, when the width is a multiple of 4) and walks every id, adding dy on a match.
//   The sum runs over i in ascending order, so the result is deterministic. No workgroup memory and no
//   barriers, which cost more than the scan itself on a software adapter; the ids are read four at a
//   time, and most quads miss the row entirely (one test). Cost: numRows × count comparisons per Q
//   columns, fine for ids ≤ a few thousand; every thread reads the same ids (cache hits).
override WG: u32 = 64;
const Q: u32 = 8u; // scatter: columns (vec4 groups in embedding_scatter_add4) per thread, fewer at a row's end

struct GatherParams {
  count: u32,
  cols: u32,
  numRows: u32,
}

struct ScatterParams {
  count: u32,
  width: u32, // columns, or groups of 4 columns in embedding_scatter_add4
  numRows: u32,
}

// ---- embedding_gather
@group(0) @binding(0) var<storage, read> table: array<f32>;
@group(0) @binding(1) var<storage, read> gatherIds: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> gparams: GatherParams;

// ---- embedding_scatter_add / embedding_scatter_add4
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(0) var<storage, read> dy4: array<vec4<f32>>;
// The ids as quads: the buffer must hold ceil(count / 4) of them (entries past count are masked off).
@group(0) @binding(1) var<storage, read> scatterIds4: array<vec4<i32>>;
@group(0) @binding(2) var<storage, read_write> dtable: array<f32>;
@group(0) @binding(2) var<storage, read_write> dtable4: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> sparams: ScatterParams;

@compute @workgroup_size(WG)
fn embedding_gather(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                    @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= gparams.count * gparams.cols) {
    return;
  }
  let row = i / gparams.cols;
  let d = i % gparams.cols;
  let id = gatherIds[row];
  var value = 0.0;
  if (id >= 0 && u32(id) < gparams.numRows) {
    value = table[u32(id) * gparams.cols + d];
  }
  out[i] = value;
}

/** Which of ids 4 * i4 .. 4 * i4 + 3 equal v (ids past count never do). */
fn idHits(i4: u32, v: i32) -> vec4<bool> {
  let idx = vec4<u32>(0u, 1u, 2u, 3u) + 4u * i4;
  return (scatterIds4[i4] == vec4<i32>(v)) & (idx < vec4<u32>(sparams.count));
}

@compute @workgroup_size(WG)
fn embedding_scatter_add(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                         @builtin(local_invocation_index) lid: u32) {
  let e = (wid.y * nwg.x + wid.x) * WG + lid;
  let width = sparams.width;
  let perRow = (width + Q - 1u) / Q;
  if (e >= sparams.numRows * perRow) {
    return;
  }
  let v = e / perRow;
  let d = (e % perRow) * Q;
  let n = min(Q, width - d);
  var acc: array<f32, Q>;
  for (var i4 = 0u; i4 * 4u < sparams.count; i4++) {
    let hit = idHits(i4, i32(v));
    if (!any(hit)) {
      continue;
    }
    for (var k = 0u; k < 4u; k++) {
      if (hit[k]) {
        let src = (i4 * 4u + k) * width + d;
        for (var q = 0u; q < n; q++) {
          acc[q] += dy[src + q];
        }
      }
    }
  }
  for (var q = 0u; q < n; q++) {
    dtable[v * width + d + q] = acc[q];
  }
}

@compute @workgroup_size(WG)
fn embedding_scatter_add4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                          @builtin(local_invocation_index) lid: u32) {
  let e = (wid.y * nwg.x + wid.x) * WG + lid;
  let width = sparams.width;
  let perRow = (width + Q - 1u) / Q;
  if (e >= sparams.numRows * perRow) {
    return;
  }
  let v = e / perRow;
  let d = (e % perRow) * Q;
  let n = min(Q, width - d);
  var acc: array<vec4<f32>, Q>;
  for (var i4 = 0u; i4 * 4u < sparams.count; i4++) {
    let hit = idHits(i4, i32(v));
    if (!any(hit)) {
      continue;
    }
    for (var k = 0u; k < 4u; k++) {
      if (hit[k]) {
        let src = (i4 * 4u + k) * width + d;
        for (var q = 0u; q < n; q++) {
          acc[q] += dy4[src + q];
        }
      }
    }
  }
  for (var q = 0u; q < n; q++) {
    dtable4[v * width + d + q] = acc[q];
  }
}
