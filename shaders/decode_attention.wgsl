// One op-by-op decode step's attention, fused (Backend.decodeAttention; CPU oracle in
// src/engine/backend/cpu/attention.ts): a thread per (row, head) writes the row's new k and v into the
// caches [rows·heads, cacheLen, dh] at `column`, then attends its q (already scaled by 1/√dh) over the
// cache columns whose keyMask is not 0: scores into a scratch row, softmax with the max over visible
// columns, and the context written merged into ctx [rows, heads·dh]. It replaces the two cache writes,
// q·Kᵀ, the masked softmax and att·V of the op-by-op step (five launches per layer) with one.
override WG: u32 = 64;

struct Params {
  rows: u32,
  heads: u32,
  headDim: u32,
  cacheLen: u32,
  column: u32,
}

@group(0) @binding(0) var<storage, read> qkv: array<f32>;
@group(0) @binding(1) var<storage, read> keyMask: array<f32>;
@group(0) @binding(2) var<storage, read_write> keys: array<f32>;
@group(0) @binding(3) var<storage, read_write> values: array<f32>;
@group(0) @binding(4) var<storage, read_write> scores: array<f32>; // [rows·heads, cacheLen] scratch
@group(0) @binding(5) var<storage, read_write> ctx: array<f32>;
@group(0) @binding(6) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let t = (wid.y * nwg.x + wid.x) * WG + lid; // (row, head)
  let p = params;
  if (t >= p.rows * p.heads) {
    return;
  }
  let r = t / p.heads;
  let h = t % p.heads;
  let dh = p.headDim;
  let D = p.heads * dh;
  let L = p.cacheLen;
  let q = r * 3u * D + h * dh;
  let cache = t * L * dh;
  for (var d = 0u; d < dh; d++) {
    keys[cache + p.column * dh + d] = qkv[q + D + d];
    values[cache + p.column * dh + d] = qkv[q + 2u * D + d];
  }
  var mx = -3.0e38;
  var seen = false;
  for (var j = 0u; j < L; j++) {
    var s = 0.0;
    if (keyMask[r * L + j] != 0.0) {
      for (var d = 0u; d < dh; d++) {
        s += qkv[q + d] * keys[cache + j * dh + d];
      }
      mx = max(mx, s);
      seen = true;
    }
    scores[t * L + j] = s;
  }
  var total = 0.0;
  for (var j = 0u; j < L; j++) {
    var e = 0.0;
    if (seen && keyMask[r * L + j] != 0.0) {
      e = exp(scores[t * L + j] - mx);
    }
    scores[t * L + j] = e;
    total += e;
  }
  let inv = select(0.0, 1.0 / total, seen);
  for (var d = 0u; d < dh; d++) {
    var acc = 0.0;
    for (var j = 0u; j < L; j++) {
      acc += scores[t * L + j] * values[cache + j * dh + d];
    }
    ctx[r * D + h * dh + d] = acc * inv;
  }
}
