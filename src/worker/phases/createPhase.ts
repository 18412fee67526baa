// The phase of a kind, for the session (one place that knows every phase class).
import type { PhaseKind } from '../../experiment/runBuilder';
import type { Phase, PhaseContext } from './phase';
import { RlPhase, type RlPhaseOptions } from './rlPhase';
import { SelfplayPhase } from './selfplayPhase';
import { SftPhase } from './sftPhase';

export function createPhase(kind: PhaseKind, ctx: PhaseContext, rl: RlPhaseOptions = {}): Phase {
  switch (kind) {
    case 'sft':
      return new SftPhase(ctx);
    case 'rl':
      return new RlPhase(ctx, rl);
    case 'selfplay':
      return new SelfplayPhase(ctx);
  }
}
