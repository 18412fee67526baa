// A user's JavaScript reward, exported verbatim and run from Python under Node: the exported TRL
// reward.py → lab_scoring → js_reward_adapter.py → a long-lived `node js_reward_host.mjs` speaking JSON
// lines. End to end against the same function run here; failures come back as clear Python errors.
// Needs python3 + numpy, and Node (this test's own runtime).
import { beforeAll, describe, expect, it } from 'vitest';
import { exportExperiment } from './exportExperiment';
import { resolveArms, startingPolicy } from './policy';
import { custom } from './testing/fixtures';
import { requirePythonWithNumpy, runPython, writeToTempDir } from './testing/python';

beforeAll(() => requirePythonWithNumpy());

const CODE = `// shaped: right answers, minus a little per character, plus a bonus for the arm
function reward({ prompt, completion, answer, task, arm }) {
  const right = completion === answer ? 1 : 0;
  if (completion === 'boom') throw new Error('kaboom');
  return { reward: right - 0.05 * completion.length + (arm === 'd2' ? 0.25 : 0) + prompt.length / 1000, components: { right, task: task === 'addition' ? 1 : 0 } };
}`;

function exportWithCode(code: string): string {
  const config = custom({ model: { init: 'random' }, task: { arms: ['d1', 'd2'] }, run: { steps: 5 }, reward: { kind: 'code', code } });
  const r = exportExperiment({ config, target: 'trl', arms: resolveArms(config, []), policy: startingPolicy(config, null) });
  expect(r.files.get('reward.js')).toBe(code);
  expect(JSON.parse(r.files.get('reward_settings.json') as string)).toMatchObject({ kind: 'code', codeFile: 'reward.js' });
  return writeToTempDir(r.files, 'rlvr-jsreward-');
}

// The TRL reward called on every test row with three completions each, as TRL calls it.
const CALL_TRL = `
import json
from reward import reward
rows = [json.loads(l) for l in open('data/test.jsonl')]
completions = [c for r in rows for c in (r['ground_truth'], r['ground_truth'] + '1', '')]
rep = [r for r in rows for _ in range(3)]
cols = {k: [r.get(k) for r in rep] for k in ('task', 'arm', 'lab_prompt', 'ground_truth', 'meta')}
print(json.dumps({'rows': rows, 'completions': completions, 'rewards': reward([r['prompt'] for r in rep], completions, **cols)}))`;

describe('the JavaScript reward adapter, end to end', () => {
  it('scores every sample as the same function does in JavaScript, over one long-lived Node process', () => {
    const dir = exportWithCode(CODE);
    const out = JSON.parse(runPython(['-c', CALL_TRL], { cwd: dir })) as { rows: { lab_prompt: string; ground_truth: string; task: string; arm: string }[]; completions: string[]; rewards: number[] };
    const fn = new Function(`${CODE}; return reward;`)() as (s: Record<string, string>) => { reward: number };
    const want = out.completions.map((completion, i) => {
      const row = out.rows[Math.floor(i / 3)];
      return fn({ prompt: row.lab_prompt, completion, answer: row.ground_truth, task: row.task, arm: row.arm }).reward;
    });
    expect(out.rewards).toHaveLength(2 * 32 * 3);
    expect(out.rewards).toEqual(want);
    expect(new Set(out.rewards).size).toBeGreaterThan(3);
  });

  it('many batches reuse one process, and a throwing reward is a JsRewardError naming the sample', () => {
    const dir = exportWithCode(CODE);
    const script = `
import json, os
from js_reward_adapter import JsReward, JsRewardError
js = JsReward('reward.js')
sample = {'prompt': '1+2=', 'completion': '3', 'answer': '3', 'task': 'addition', 'arm': 'd1'}
for _ in range(50):
    assert js.score([sample] * 20) == [0.954] * 20, js.score([sample])
pid = js._process.pid
try:
    js.score([sample, dict(sample, completion='boom')])
    raise SystemExit('no error')
except JsRewardError as e:
    message = str(e)
same_process = js._process.pid == pid
print(json.dumps({'message': message, 'same_process': same_process, 'after': js.score([sample])}))`;
    const out = JSON.parse(runPython(['-c', script], { cwd: dir })) as { message: string; same_process: boolean; after: number[] };
    expect(out.message).toContain('reward() threw: kaboom');
    expect(out.message).toContain('sample 1');
    expect(out.same_process).toBe(true);
    expect(out.after).toEqual([0.954]);
  });

  it('code that does not compile, loops forever, returns NaN or reaches for Node is refused clearly', () => {
    const cases: [string, string][] = [
      ['function reward( {', 'does not compile'],
      ['const x = 1;', 'defines no function named reward'],
      ['function reward() { while (true) {} }', 'took longer than'],
      ['function reward() { return NaN; }', 'must return a finite number'],
      ['function reward() { return require("fs") ? 1 : 0; }', 'require is not defined'],
      ['function reward() { return process.exit(3); }', 'process is not defined'],
    ];
    for (const [code, expected] of cases) {
      const dir = exportWithCode(code);
      const script = `
from js_reward_adapter import JsReward, JsRewardError
js = JsReward('reward.js', timeout_ms=300)
try:
    js.score([{'prompt': '1+2=', 'completion': '3', 'answer': '3', 'task': 'addition', 'arm': 'd1'}])
    print('no error')
except JsRewardError as e:
    print(e)`;
      expect(runPython(['-c', script], { cwd: dir }), code).toContain(expected);
    }
  });
});
