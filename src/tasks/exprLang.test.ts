import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_STEPS, MAX_VALUE, runProgram } from './exprLang';
import { createRng } from './random';

const value = (source: string) => {
  const result = runProgram(source);
  if (!result.ok) throw new Error(`${source}: ${result.error}`);
  return result.value;
};
const error = (source: string) => {
  const result = runProgram(source);
  if (result.ok) throw new Error(`${source} should fail but gave ${result.value}`);
  return result;
};

describe('runProgram', () => {
  it('evaluates assignments, precedence and brackets', () => {
    expect(value('a=3;b=a*2;b+1')).toBe(7);
    expect(value('2+3*4')).toBe(14);
    expect(value('(2+3)*4')).toBe(20);
    expect(value('10-3-2')).toBe(5); // left-associative
    expect(value('-3*-2')).toBe(6);
    expect(value(' x = 4 ; x * x ')).toBe(16);
    expect(value('a=1;a=a+1;a')).toBe(2);
  });

  it('floors division and gives % the divisor sign', () => {
    expect(value('7/2')).toBe(3);
    expect(value('-7/2')).toBe(-4);
    expect(value('-7%3')).toBe(2);
    expect(value('7%-3')).toBe(-2);
    expect(value('0-0')).toBe(0);
    expect(Object.is(value('0*-1'), -0)).toBe(false);
  });

  it('compares to 1/0 and branches with ?:', () => {
    expect(value('3<4')).toBe(1);
    expect(value('3>4')).toBe(0);
    expect(value('3==3')).toBe(1);
    expect(value('3!=3')).toBe(0);
    expect(value('a=7;b=a>4?a-2:a+2;b*2')).toBe(10);
    expect(value('a=1;a?2:3')).toBe(2);
    expect(value('a=0;a?2:a==0?4:5')).toBe(4); // right-nested
  });

  it('runs rep and while loops', () => {
    expect(value('s=1;rep 3{s=s*2};s+1')).toBe(9);
    expect(value('s=0;i=0;while i<5{i=i+1;s=s+i};s')).toBe(15);
    expect(value('s=0;rep 0{s=9};s')).toBe(0);
    expect(value('s=0;rep 2{rep 3{s=s+1}};s')).toBe(6);
  });

  it('reports errors as values, with the kind', () => {
    expect(error('a+1')).toMatchObject({ kind: 'runtime', error: "undefined variable 'a'" });
    expect(error('5/0')).toMatchObject({ kind: 'runtime', error: 'division by zero' });
    expect(error('5%0')).toMatchObject({ kind: 'runtime' });
    expect(error('a=999;a*a*a')).toMatchObject({ kind: 'runtime', error: expect.stringMatching(/overflow/) });
    expect(error('rep -1{a=1};1')).toMatchObject({ kind: 'runtime', error: expect.stringMatching(/negative/) });
    expect(error('1+')).toMatchObject({ kind: 'syntax', error: expect.stringMatching(/end of program/) });
    expect(error('1 2')).toMatchObject({ kind: 'syntax' });
    expect(error('a=3')).toMatchObject({ kind: 'syntax', error: expect.stringMatching(/end with an expression/) });
    expect(error('ab=3;ab')).toMatchObject({ kind: 'syntax', error: expect.stringMatching(/single letters/) });
    expect(error('rep=3;1')).toMatchObject({ kind: 'syntax' });
    expect(error('A=1;A')).toMatchObject({ kind: 'syntax', error: expect.stringMatching(/unexpected character "A"/) });
    expect(error('')).toMatchObject({ kind: 'syntax' });
    expect(error('(1')).toMatchObject({ kind: 'syntax', error: expect.stringMatching(/expected '\)'/) });
    expect(error(`${MAX_VALUE + 1}`)).toMatchObject({ kind: 'syntax' });
    expect(error('1;;2')).toMatchObject({ kind: 'syntax' });
  });

  it('stops pathological programs at the step limit, quickly', () => {
    const start = performance.now();
    const forever = error('a=1;while 1{a=a+0};a');
    expect(forever).toMatchObject({ kind: 'limit', error: `step limit of ${DEFAULT_MAX_STEPS} exceeded` });
    expect(forever.steps).toBe(DEFAULT_MAX_STEPS + 1);
    const nested = error('a=0;rep 999{rep 999{rep 999{a=a+1}}};a');
    expect(nested.kind).toBe('limit');
    expect(runProgram('a=0;rep 50{a=a+1};a', { maxSteps: 100 })).toMatchObject({ ok: false, kind: 'limit' });
    expect(runProgram('a=0;rep 50{a=a+1};a', { maxSteps: 1000 })).toMatchObject({ ok: true, value: 50 });
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('refuses deep nesting and huge sources without overflowing the stack', () => {
    expect(error('('.repeat(400) + '1' + ')'.repeat(400)).kind).toBe('limit');
    expect(error('-'.repeat(400) + '1').kind).toBe('limit');
    expect(error('1+'.repeat(600) + '1').kind).toBe('limit'); // longer than MAX_SOURCE_LENGTH
    expect(value('1+'.repeat(400) + '1')).toBe(401); // long but flat is fine
  });

  it('never throws on random junk', () => {
    const rng = createRng(11);
    const alphabet = [...'0123456789+-*/%=()<>?:;{}! abrepwhilexyz\u00e9\u0000'];
    for (let i = 0; i < 3000; i++) {
      let source = '';
      const length = rng.nextInt(0, 30);
      for (let j = 0; j < length; j++) source += rng.pick(alphabet);
      const result = runProgram(source);
      expect(typeof result.ok).toBe('boolean');
      if (result.ok) expect(Number.isInteger(result.value)).toBe(true);
    }
    expect(runProgram(42 as unknown as string).ok).toBe(false);
  });
});
