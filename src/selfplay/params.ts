// A self-play loop's knobs, described once beside the loop that uses them: kind, range or choices,
// default, label and help. The experiment schema's `selfplay` section (src/experiment/schema.ts) and
// the Self-play panel derive from these, so a knob is never written down in two places.
import type { NumberParam } from '../curriculum/params';

export type LoopParam =
  | ({ kind: 'number' } & NumberParam)
  | { kind: 'enum'; options: readonly [string, ...string[]]; default: string; label: string; help: string }
  | { kind: 'boolean'; default: boolean; label: string; help: string };

export type LoopParams = Record<string, LoopParam>;
