import { describe, expect, it } from 'vitest';
import {
  BOS_ID,
  decode,
  decodeCompletion,
  encode,
  encodeCompletion,
  encodePrompt,
  EOS_ID,
  isEncodable,
  PAD_ID,
  PROPOSE_ID,
  SEP_ID,
  SOLVE_ID,
  VOCAB,
  VOCAB_SIZE,
} from './tokenizer';

describe('vocabulary', () => {
  it('is small, unique and stable (ids are baked into checkpoints)', () => {
    expect(VOCAB_SIZE).toBeLessThanOrEqual(64);
    expect(new Set(VOCAB).size).toBe(VOCAB_SIZE);
    expect([PAD_ID, BOS_ID, EOS_ID, SEP_ID, PROPOSE_ID, SOLVE_ID]).toEqual([0, 1, 2, 3, 4, 5]);
    // The exact table: append-only. If this fails, existing checkpoints no longer decode.
    expect(VOCAB.join('|')).toBe(
      '<pad>|<bos>|<eos>|<sep>|<propose>|<solve>| |0|1|2|3|4|5|6|7|8|9|+|-|*|/|%|=|(|)|,|?|>|<|:|;|{|}|!|' +
        'a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q|r|s|t|u|v|w|x|y|z',
    );
  });
});

describe('encode / decode', () => {
  it('round-trips every ordinary character', () => {
    const text = VOCAB.slice(6).join('');
    const ids = encode(text);
    expect(ids).toHaveLength(text.length);
    expect(decode(ids)).toBe(text);
    expect(encode('12+7=')).toEqual(['1', '2', '+', '7', '='].map((c) => VOCAB.indexOf(c)));
  });

  it('throws a clear error naming the bad character', () => {
    expect(() => encode('12+A')).toThrow(/"A" \(U\+0041\) at index 3/);
    expect(() => encode('x€')).toThrow(/"€"/);
    expect(() => encode('🙂')).toThrow(/U\+1F642/);
    expect(() => encode('a\nb')).toThrow(/"\\n"/);
    expect(isEncodable('sort 312=')).toBe(true);
    expect(isEncodable('Sort')).toBe(false);
    expect(encode('')).toEqual([]);
  });

  it('decode keeps going past EOS and shows specials only when asked', () => {
    const ids = [BOS_ID, ...encode('12'), EOS_ID, ...encode('3'), PAD_ID];
    expect(decode(ids)).toBe('123');
    expect(decode(ids, { showSpecial: true })).toBe('⟨bos⟩12⟨eos⟩3⟨pad⟩');
    expect(decode([PROPOSE_ID, SOLVE_ID, SEP_ID], { showSpecial: true })).toBe('⟨propose⟩⟨solve⟩⟨sep⟩');
    expect(() => decode([VOCAB_SIZE])).toThrow(/outside the vocabulary/);
    expect(() => decode([-1])).toThrow(RangeError);
  });

  it('decodeCompletion cuts at the first EOS, drops PAD, and keeps stray specials visible', () => {
    expect(decodeCompletion([...encode('19'), EOS_ID, ...encode('99')])).toBe('19');
    expect(decodeCompletion([PAD_ID, ...encode('1'), PAD_ID, ...encode('9')])).toBe('19');
    expect(decodeCompletion(new Int32Array([...encode('4'), BOS_ID, ...encode('2'), EOS_ID]))).toBe('4⟨bos⟩2');
    expect(decodeCompletion([EOS_ID, ...encode('5')])).toBe('');
    expect(decodeCompletion(encode('77'))).toBe('77'); // no EOS: everything
  });

  it('prompt and completion helpers add BOS and EOS', () => {
    expect(encodePrompt('1+1=')).toEqual([BOS_ID, ...encode('1+1=')]);
    expect(encodeCompletion('2')).toEqual([...encode('2'), EOS_ID]);
  });
});
