// DAPO's soft overlong punishment lives in src/rl/overlong.ts (the rollout's truncation policy uses it);
// the reward layer re-exports it for the weighted built-in term.
export * from '../rl/overlong';
