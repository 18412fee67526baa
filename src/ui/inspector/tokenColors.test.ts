import { describe, expect, it } from 'vitest';
import { EOS_ID, VOCAB } from '../../tasks/tokenizer';
import { advantageScale, entropyScale, logProbScale, tokenText } from './tokenColors';

describe('token colour scales', () => {
  it('centres advantage on grey and saturates at ±maxAbs', () => {
    const s = advantageScale(2);
    expect(s.color(0)).toBe('#8e98a8');
    expect(s.color(2)).toBe('#4fc27d');
    expect(s.color(-2)).toBe('#e5655b');
    expect(s.color(-20)).toBe('#e5655b');
    expect(s.minLabel).toBe('A = −2');
    // All-zero advantages must not divide by zero.
    expect(advantageScale(0).color(0)).toBe('#8e98a8');
  });

  it('maps log-prob through probability and entropy over [0, ln|V|]', () => {
    expect(logProbScale().color(0)).toBe('#4fc27d');
    expect(logProbScale().color(-50)).toBe('#e5655b');
    expect(entropyScale().color(0)).toBe('#9fd3ff');
    expect(entropyScale().color(Math.log(VOCAB.length))).toBe('#ffaa5a');
    expect(entropyScale().color(NaN)).toBe('#9fd3ff');
  });

  it('renders tokens readably', () => {
    expect(tokenText(EOS_ID)).toEqual({ text: 'eos', special: true });
    expect(tokenText(VOCAB.indexOf(' '))).toEqual({ text: '␣', special: false });
    expect(tokenText(VOCAB.indexOf('7'))).toEqual({ text: '7', special: false });
    expect(tokenText(999)).toEqual({ text: '?999', special: true });
  });
});
