// Constants every library's copy of the GPT in the benchmarks shares (ours has them in src/model and
// the shaders): the additive attention bias of a masked key and the tanh-GELU coefficient.
export const MASKED = -1e9;
export const GELU_C = Math.sqrt(2 / Math.PI);
