// The queue's decisions on each change of the session: the arm's run is recognised when it starts, the
// next arm comes only when this one finished its steps, and every other ending ends the queue in words.
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../experiment/presets';
import type { ExperimentConfig } from '../experiment/schema';
import { queueEvent, type ArmQueue, type SessionView } from './armQueue';

const arm = (steps: number): { label: string; config: ExperimentConfig } => {
  const config = presetConfig('default');
  return { label: `arm of ${steps}`, config: { ...config, run: { ...config.run, steps } } };
};
const queue = (over: Partial<ArmQueue> = {}): ArmQueue => ({ title: 'card', arms: [arm(3), arm(3), arm(3)], index: 1, runId: 'r2', before: 'r1', runIds: ['r1', 'r2'], ...over });
const session = (over: Partial<SessionView> = {}): SessionView => ({ activeRunId: 'r2', state: 'running', step: 1, pendingCost: null, ...over });
const cost = { estimate: { reasons: ['big'] }, paused: false, stepOnce: false } as unknown as SessionView['pendingCost'];

describe('queueEvent', () => {
  it('attaches the arm to the first new active run, not to the run before it', () => {
    const waiting = queue({ runId: null });
    expect(queueEvent(waiting, session({ activeRunId: 'r1', state: 'stopped' }), session({ activeRunId: 'r1', state: 'stopped' }))).toEqual({ kind: 'none' });
    expect(queueEvent(waiting, session({ activeRunId: 'r1', state: 'stopped' }), session({ activeRunId: 'r2', state: 'loading', step: 0 }))).toEqual({ kind: 'started', runId: 'r2' });
  });

  it('waits while the cost dialog asks, and ends when it is declined', () => {
    const waiting = queue({ runId: null, index: 0, before: null });
    expect(queueEvent(waiting, session({ activeRunId: null, state: 'idle' }), session({ activeRunId: null, state: 'idle', pendingCost: cost })).kind).toBe('none');
    const declined = queueEvent(waiting, session({ activeRunId: null, state: 'idle', pendingCost: cost }), session({ activeRunId: null, state: 'idle' }));
    expect(declined).toEqual({ kind: 'ended', why: 'Arm 1 of 3 was not started (its cost was declined).' });
  });

  it('moves on only when the arm stopped at its last step', () => {
    expect(queueEvent(queue(), session({ step: 2 }), session({ state: 'stopped', step: 3 }))).toEqual({ kind: 'finished' });
    const early = queueEvent(queue(), session({ step: 1 }), session({ state: 'stopped', step: 2 }));
    expect(early).toEqual({ kind: 'ended', why: 'Stopped at arm 2 of 3 (step 2); the rest did not run.' });
    // A later change while it stays stopped is not a second ending.
    expect(queueEvent(queue(), session({ state: 'stopped', step: 3 }), session({ state: 'stopped', step: 3 })).kind).toBe('none');
    // Pausing is not an ending.
    expect(queueEvent(queue(), session(), session({ state: 'paused' })).kind).toBe('none');
  });

  it('ends when the arm fails or another run replaces it', () => {
    expect(queueEvent(queue(), session(), session({ state: 'error' }))).toEqual({ kind: 'ended', why: 'Arm 2 of 3 failed.' });
    expect(queueEvent(queue(), session(), session({ activeRunId: 'other', state: 'loading' }))).toEqual({ kind: 'ended', why: 'Another run replaced arm 2 of 3.' });
  });
});
