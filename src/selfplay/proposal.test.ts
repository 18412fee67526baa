// The propose/solve executor: well-formed proposals become problems with computed answers; anything
// else is malformed (scored −1), never thrown; proposed programs cannot run unbounded.
import { describe, expect, it } from 'vitest';
import { createRng } from '../tasks/random';
import { getTask } from '../tasks/registry';
import { EOS_ID, PAD_ID, SOLVE_ID, VOCAB_SIZE, encode } from '../tasks/tokenizer';
import { executeProposal, executeProposalText, proposalText } from './proposal';
import { defaultProposeSolveConfig, proposerReward } from './proposeSolve';

const addition = getTask('addition');
const program = getTask('program');

describe('proposal executor', () => {
  it('accepts a well-formed addition proposal and computes its answer', () => {
    const r = executeProposal(addition, [...encode('12+47='), EOS_ID]);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.problem.prompt).toBe('12+47=');
      expect(r.problem.answer).toBe('59');
    }
  });

  it('rejects proposals without EOS, with special tokens, or with tokens after EOS', () => {
    expect(proposalText(encode('1+2=')).ok).toBe(false);
    expect(executeProposal(addition, [...encode('1+2=')]).ok).toBe(false);
    expect(executeProposal(addition, [...encode('1+'), SOLVE_ID, ...encode('2='), EOS_ID]).ok).toBe(false);
    expect(executeProposal(addition, [...encode('1+2='), EOS_ID, PAD_ID]).ok).toBe(false);
    expect(executeProposal(addition, [EOS_ID]).ok).toBe(false); // empty
    expect(executeProposal(addition, [999]).ok).toBe(false);
  });

  it('rejects text outside the grammar', () => {
    for (const text of ['1+2', '01+2=', '1+2=3', '12345+1=', '1++2=', 'a+b=', '1+2+3=', '=', '1+2=='.repeat(10)]) {
      const r = executeProposalText(addition, text);
      expect(r.ok, text).toBe(false);
    }
  });

  it('runs a proposed program and computes its value', () => {
    const r = executeProposalText(program, 'a=3;b=a*2;b+1=');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.problem.answer).toBe('7');
      expect(r.steps).toBeGreaterThan(0);
    }
  });

  it('rejects a looping or huge program quickly (step limit, length limit)', () => {
    const started = performance.now();
    const loop = executeProposalText(program, 'a=0;while 1{a=a+1};a=', { maxSteps: 256 });
    expect(loop.ok).toBe(false);
    if (!loop.ok) expect(loop.reason).toMatch(/^limit: step limit of 256/);
    const longLoop = executeProposalText(program, 'a=1;rep 99999{a=a+1};a=', { maxSteps: 256 });
    expect(longLoop.ok).toBe(false);
    if (!longLoop.ok) expect(longLoop.reason).toMatch(/^limit/);
    // The same loop the language itself would run for 10 000 steps is cut at the executor's limit.
    const huge = executeProposalText(program, `${'a=1;'.repeat(5000)}a=`);
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(huge.reason).toMatch(/^longer than/);
    const overflow = executeProposalText(program, 'a=9;rep 9{a=a*a};a=');
    expect(overflow.ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('fuzz: random token strings never throw and malformed ones get the malformed reward', () => {
    const rng = createRng(7);
    let valid = 0;
    const started = performance.now();
    for (const task of [addition, program]) {
      for (let i = 0; i < 400; i++) {
        const length = rng.nextInt(0, task.maxPromptLength + 3);
        const ids = Array.from({ length }, () => (rng.nextFloat() < 0.1 ? rng.nextInt(0, 5) : rng.nextInt(0, VOCAB_SIZE - 1)));
        if (rng.nextFloat() < 0.7) ids.push(EOS_ID);
        let result!: ReturnType<typeof executeProposal>;
        expect(() => (result = executeProposal(task, ids, { maxSteps: 64 }))).not.toThrow();
        const reward = proposerReward(result, 0.5, defaultProposeSolveConfig);
        if (result.ok) {
          valid++;
          expect(task.fromPrompt(result.problem.prompt)).not.toBeNull();
        } else {
          expect(reward).toBe(-1);
          expect(typeof result.reason).toBe('string');
        }
      }
      // Random strings over the task's own characters (more likely to parse, and to loop).
      const chars = task.id === 'program' ? 'abc0123456789+-*/%=();{}?:<> rephwil' : '0123456789+=';
      for (let i = 0; i < 300; i++) {
        const text = Array.from({ length: rng.nextInt(1, task.maxPromptLength) }, () => chars[rng.nextInt(0, chars.length - 1)]).join('');
        expect(() => executeProposalText(task, text, { maxSteps: 64 })).not.toThrow();
      }
    }
    expect(valid).toBeLessThan(800 * 0.2);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
