// Embedding lookup and its gradient. Ids outside [0, numRows) read zeros and contribute nothing.
//
// embedding_gather: a thread per output element (i, d): out[i, d] = table[ids[i], d].
// embedding_scatter_add: dtable[v, d] = sum over i with ids[i] = v of dy[i, d], without float atomics.
//   A workgroup owns one table row v and a block of WG columns; the ids are staged through workgroup
//   memory a tile at a time and every thread of the workgroup scans the same tile (no divergence on the
//   comparison), reading dy only on a match. The sum runs over i in ascending order, so the result is
//   deterministic. Cost: numRows × count comparisons per column block, fine for ids ≤ a few thousand.
override WG: u32 = 256;

struct GatherParams {
  count: u32,
  cols: u32,
  numRows: u32,
}

struct ScatterParams {
  count: u32,
  cols: u32,
  numRows: u32,
  colBlocks: u32, // ceil(cols / WG)
}

// ---- embedding_gather
@group(0) @binding(0) var<storage, read> table: array<f32>;
@group(0) @binding(1) var<storage, read> gatherIds: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> gparams: GatherParams;

// ---- embedding_scatter_add
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> scatterIds: array<i32>;
@group(0) @binding(2) var<storage, read_write> dtable: array<f32>;
@group(0) @binding(3) var<uniform> sparams: ScatterParams;

var<workgroup> idTile: array<i32, WG>;

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

@compute @workgroup_size(WG)
fn embedding_scatter_add(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                         @builtin(local_invocation_index) lid: u32) {
  let w = wid.y * nwg.x + wid.x;
  if (w >= sparams.numRows * sparams.colBlocks) {
    return; // uniform per workgroup
  }
  let v = i32(w / sparams.colBlocks);
  let d = (w % sparams.colBlocks) * WG + lid;
  let cols = sparams.cols;
  let inRange = d < cols;

  var acc = 0.0;
  for (var t0 = 0u; t0 < sparams.count; t0 += WG) {
    let t = t0 + lid;
    idTile[lid] = select(-1, scatterIds[min(t, sparams.count - 1u)], t < sparams.count);
    workgroupBarrier();
    let n = min(WG, sparams.count - t0);
    for (var k = 0u; k < n; k++) {
      if (idTile[k] == v && inRange) {
        acc += dy[(t0 + k) * cols + d];
      }
    }
    workgroupBarrier(); // the tile is read by everyone before it is overwritten
  }
  if (inRange) {
    dtable[u32(v) * cols + d] = acc;
  }
}
