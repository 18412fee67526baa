// The reward layer: built-in verifier rewards with weights, and the sandbox for user-written reward code.
export * from './spec';
export * from './overlong';
export * from './builtin';
export type { RewardError, RewardErrorKind, RewardInput, RewardOutcome } from './sandbox/protocol';
export { RewardSandbox, MAX_REWARD_CODE_LENGTH, type EvaluateOptions, type RewardSandboxOptions } from './sandbox/rewardSandbox';
export { checkRewardValue, MAX_COMPONENTS } from './sandbox/validate';
