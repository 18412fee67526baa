// The proposer's reference buffer: FIFO with a cap and no duplicates, K distinct draws, the prompt format,
// and that K references fit the model's 48-token context on every task propose/solve can run on.
import { describe, expect, it } from 'vitest';
import { defaultGptConfig } from '../model/config';
import { createRng } from '../tasks/random';
import { getTask } from '../tasks/registry';
import { PROPOSE_ID, encode } from '../tasks/tokenizer';
import { proposeSolveParams } from './proposeSolve';
import { ReferenceBuffer, proposerPromptWithReferences, proposerSequenceLength } from './referenceBuffer';

describe('ReferenceBuffer', () => {
  it('keeps the newest `capacity` distinct prompts', () => {
    const b = new ReferenceBuffer(3);
    b.add(['1+1=', '2+2=', '1+1=', '3+3=']);
    expect(b.snapshot()).toEqual(['1+1=', '2+2=', '3+3=']);
    b.add(['4+4=']);
    expect(b.snapshot()).toEqual(['2+2=', '3+3=', '4+4=']);
    expect(b.size).toBe(3);
  });

  it('samples K distinct references, fewer when it holds fewer, seeded', () => {
    const b = new ReferenceBuffer(10);
    b.add(['1+1=', '2+2=', '3+3=', '4+4=']);
    const s = b.sample(2, createRng(7));
    expect(s).toHaveLength(2);
    expect(new Set(s).size).toBe(2);
    expect(s.every((x) => b.snapshot().includes(x))).toBe(true);
    expect(b.sample(2, createRng(7))).toEqual(s);
    expect(b.sample(9, createRng(7))).toHaveLength(4);
    expect(b.sample(0, createRng(7))).toEqual([]);
  });
});

describe('proposer prompt with references', () => {
  it('is <propose> then the references one after another (each ends with =, so no separator)', () => {
    expect(proposerPromptWithReferences([])).toEqual([PROPOSE_ID]);
    expect(proposerPromptWithReferences(['12+3=', '7+45='])).toEqual([PROPOSE_ID, ...encode('12+3=7+45=')]);
  });

  it('fits the context: the knob\'s largest K on addition (longest references and proposal) ≤ 48 tokens, one more does not', () => {
    const addition = getTask('addition');
    const maxK = proposeSolveParams.references.max;
    expect(proposerSequenceLength(maxK, addition.maxPromptLength)).toBeLessThanOrEqual(defaultGptConfig.contextLength);
    expect(proposerSequenceLength(maxK + 1, addition.maxPromptLength)).toBeGreaterThan(defaultGptConfig.contextLength);
    // The longest addition prompt, K times, plus a longest proposal and EOS, really is that long.
    const longest = '9999+9999=';
    expect(longest.length).toBe(addition.maxPromptLength);
    expect(proposerPromptWithReferences(Array(maxK).fill(longest)).length + longest.length + 1).toBe(proposerSequenceLength(maxK, addition.maxPromptLength));
  });
});
