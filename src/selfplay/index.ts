// Self-play loops, one per file (DESIGN.md): propose/solve (Absolute Zero), SPIN, creator/solver (eva),
// self-consuming generations. Backend-agnostic: they run wherever the engine's backend is set.
export * from './common';
export * from './config';
export * from './proposal';
export * from './proposeSolve';
export * from './spin';
export * from './creatorSolver';
export * from './selfConsuming';
