// The curriculum layer: samplers that choose which arm each prompt comes from, and online difficulty
// filtering. Sits above src/rl (it implements rl's ArmSampler) and below the worker and UI.
export * from './curriculum';
export { softmax, drawIndex, ArmWindow } from './base';
export * from './filtering';
