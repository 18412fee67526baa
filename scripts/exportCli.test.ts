// npm run export's argument handling and output folder (the export itself is tested in src/experiment/export).
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeExperiment } from '../src/experiment/urlCodec';
import { custom } from '../src/experiment/export/testing/fixtures';
import { runExportCli } from './exportCli';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'rlvr-cli-')), 'out');

describe('npm run export', () => {
  it('--preset writes the folder: README, config, data, reward, model', () => {
    const out = fresh();
    const r = runExportCli(['--preset', 'curriculum-dump', '--target', 'verl', '--out', out]);
    for (const f of ['README.md', 'verl_config.yaml', 'run_verl.sh', 'reward.py', 'data/train.jsonl', 'data/test.jsonl', 'model/model.safetensors', 'model/config.json']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(statSync(join(out, 'run_verl.sh')).mode & 0o111).not.toBe(0);
    expect(r.unmapped).toContain('curriculum');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('**curriculum**');
  });

  it('--link reads a shared link (hash or whole URL)', () => {
    const config = custom({ model: { init: 'random' }, task: { id: 'parity', arms: ['len6'] }, algorithm: { dualClip: 2.5 }, run: { steps: 3 } });
    const out = fresh();
    runExportCli(['--link', `https://lab.example/#${encodeExperiment(config)}`, '--target', 'openrlhf', '--out', out]);
    expect(readFileSync(join(out, 'run_openrlhf.sh'), 'utf8')).toContain('--actor.dual_clip 2.5');
    expect(readFileSync(join(out, 'data/train.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3 * 16);
  });

  it('bad arguments get a sentence and the usage', () => {
    expect(() => runExportCli(['--target', 'trl', '--out', fresh()])).toThrow(/exactly one of --link and --preset[\s\S]*usage/);
    expect(() => runExportCli(['--preset', 'default', '--target', 'deepspeed', '--out', fresh()])).toThrow(/--target must be one of trl, verl, openrlhf/);
    expect(() => runExportCli(['--preset', 'nope', '--target', 'trl', '--out', fresh()])).toThrow(/Unknown preset "nope"/);
    const out = fresh();
    runExportCli(['--preset', 'default', '--target', 'trl', '--out', out]);
    expect(() => runExportCli(['--preset', 'default', '--target', 'trl', '--out', out])).toThrow(/not empty/);
  });
});
