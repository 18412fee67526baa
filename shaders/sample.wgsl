// Token sampling for generation: one workgroup per row of logits [rows, vocab] (row = wid.y * nwg.x +
// wid.x), threads striding the vocabulary. The sampling itself is sampleRow in shaders/sample_row.wgsl,
// which kernels/sample.ts appends to this file; here: a finished row emits PAD and stays finished, and
// sampling EOS finishes the row.
override WG: u32 = 64;

struct Params {
  rows: u32,
  vocab: u32,
  invT: f32,
  greedy: u32,
  topK: u32,
  topP: f32,
  seed: u32,
  step: u32,
  eos: i32,
  pad: i32,
}

@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read_write> finished: array<i32>;
@group(0) @binding(2) var<storage, read_write> outIds: array<i32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> rowFlag: i32;
var<private> rowOffset: u32;

fn logitOf(j: u32) -> f32 {
  return logits[rowOffset + j];
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= params.rows) {
    return; // uniform per workgroup
  }
  if (lid == 0u) {
    rowFlag = finished[row];
  }
  if (workgroupUniformLoad(&rowFlag) != 0) {
    if (lid == 0u) {
      outIds[row] = params.pad;
    }
    return;
  }
  rowOffset = row * params.vocab;
  let id = sampleRow(row, lid);
  if (lid == 0u) {
    outIds[row] = i32(id);
    if (i32(id) == params.eos) {
      finished[row] = 1;
    }
  }
}
