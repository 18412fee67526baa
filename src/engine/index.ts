// The engine's public API: tensors, autograd, ops, optimiser. Backends are chosen by the caller
// (CpuBackend from ./backend/cpu/cpuBackend, WebGpuBackend from ./backend/webgpu/webgpuBackend).
export type { Backend, BackendCounters, DType } from './backend';
export { engine, getBackend, setBackend } from './tensor';
export { DisposedTensorError, ShapeError } from './errors';
export { Tensor } from './tensor';
export { full, parameter, tensor, zeros } from './creation';
export { keep, tidy } from './scope';
export { backward, isRecording, noGrad, zeroGrad } from './tape';
export { readAll } from './readback';
export * from './ops/elementwise';
export { max, mean, sum, sumToShape } from './ops/reduce';
export { broadcastTo, concat, reshape, slice, transpose } from './ops/layout';
export { matmul, type MatmulOptions } from './ops/matmul';
export { biasActivation, crossEntropy, embedding, layerNorm, linear, logSoftmax, residualLayerNorm, softmax, type AttentionMask } from './ops/nn';
export { logProbs, type LogProbsResult } from './ops/logProbs';
export { groupAdvantages } from './ops/advantages';
export { clippedPolicyLoss, type ClippedPolicyLoss, type ClippedPolicyLossConfig } from './ops/clippedPolicyLoss';
export { causalSelfAttention, decodeAttention, packColumns } from './ops/attention';
export { AdamW, defaultAdamW, type AdamWConfig } from './optim/adamw';
export { globalGradNorm } from './optim/clipGradNorm';
export { sampleTokens, type SampleOptions } from './ops/sample';
export type { SampleParams } from './backend';
