// Runs as files in the lab: a Node-recorded 3-seed file imported as one group of stopped runs, exported
// back (same metrics, evaluations and curriculum), and bad files refused without touching the store.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareRuns, parseWindow } from '../experiment/runComparison';
import type { SeedsFile } from '../experiment/runFile';
import { readRunFile } from '../experiment/runFileRead';
import { groupRuns } from './runGroups';
import { comparableReplica, groupToFile, importRunFile, runFileName } from './runFiles';
import { createMemoryRunStorage } from './runPersistence';
import { createRunsStore } from './runsStore';

const fixture = readFileSync('e2e/fixtures/seeds3-default.json', 'utf8');
const other = readFileSync('e2e/fixtures/seeds3-negative-only.json', 'utf8');
const file = JSON.parse(fixture) as SeedsFile;

function store() {
  return createRunsStore({ storage: createMemoryRunStorage(), requestFrame: () => {}, schedulePersist: () => {}, now: () => 1000 });
}

describe('importRunFile / groupToFile', () => {
  it('imports a Node 3-seed file as one group of stopped runs with every step and evaluation', () => {
    const s = store();
    const result = importRunFile(s.getState(), fixture);
    expect(result.ok).toBe(true);
    const [group] = groupRuns(s.getState().runs);
    expect(group.seeds).toEqual([1, 2, 3]);
    expect(group.config.seeds).toBe(3);
    expect(group.replicas.map((r) => r.status)).toEqual(['stopped', 'stopped', 'stopped']);
    group.replicas.forEach((run, i) => {
      expect(run.metrics).toEqual(file.replicas[i].record.steps);
      expect(run.evaluations.map((e) => e.step)).toEqual([0, 3, 6]);
      expect(run.curriculum?.points).toHaveLength(6);
    });
    expect(runFileName(group)).toMatch(/-3seeds\.json$/);
  });

  it('round-trips: export → import gives the same metrics, evaluations and curriculum', () => {
    const s = store();
    importRunFile(s.getState(), fixture);
    const exported = JSON.stringify(groupToFile(groupRuns(s.getState().runs)[0]));
    const parsed = readRunFile(exported);
    expect(parsed.ok && parsed.value.kind).toBe('seeds');
    const t = store();
    expect(importRunFile(t.getState(), exported).ok).toBe(true);
    const [a] = groupRuns(s.getState().runs);
    const [b] = groupRuns(t.getState().runs);
    expect(b.seeds).toEqual(a.seeds);
    expect(b.label).toBe(a.label);
    b.replicas.forEach((run, i) => {
      expect(run.metrics).toEqual(a.replicas[i].metrics);
      expect(run.evaluations).toEqual(a.replicas[i].evaluations);
      expect(run.curriculum?.points).toEqual(a.replicas[i].curriculum?.points);
    });
    // A single-seed run goes out as rlvr-lab-run/1 and comes back as one run.
    const one = JSON.stringify(groupToFile({ ...a, replicas: [a.replicas[0]], seeds: [a.seeds[0]] }));
    expect(JSON.parse(one).format).toBe('rlvr-lab-run/1');
    const u = store();
    expect(importRunFile(u.getState(), one).ok).toBe(true);
    expect(u.getState().runs).toHaveLength(1);
    expect(u.getState().runs[0].replica).toBeUndefined();
    expect(u.getState().runs[0].metrics).toEqual(a.replicas[0].metrics);
  });

  it('refuses bad files with a message and leaves the runs as they were', () => {
    const s = store();
    importRunFile(s.getState(), fixture);
    const before = s.getState().runs;
    const version = s.getState().version;
    const bad = [fixture.slice(0, 5000), '{"format": "rlvr-lab-seeds/1", oops}', JSON.stringify({ ...file, format: 'something/2' }), fixture.replace('"reward":', '"reward":null,"x":')];
    const gapped = JSON.parse(fixture);
    gapped.seeds = [1, 2, 5];
    gapped.replicas[2].seed = 5;
    gapped.replicas[2].record.config.seed = 5;
    bad.push(JSON.stringify(gapped));
    for (const text of bad) {
      const r = importRunFile(s.getState(), text);
      expect(r.ok, text.slice(0, 40)).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(20);
    }
    expect(s.getState().runs).toBe(before);
    expect(s.getState().version).toBe(version);
  });

  it('compares two imported groups with the numbers the CLI computes on the files', () => {
    const s = store();
    importRunFile(s.getState(), fixture);
    importRunFile(s.getState(), other);
    const [a, b] = groupRuns(s.getState().runs);
    const lab = compareRuns(a.replicas.map(comparableReplica), b.replicas.map(comparableReplica), 'eval.pass@1', parseWindow('final'));
    const fromFile = (text: string) => (JSON.parse(text) as SeedsFile).replicas.map((r) => ({ seed: r.seed, steps: r.record.steps, evaluations: r.record.evaluations }));
    const cli = compareRuns(fromFile(fixture), fromFile(other), 'eval.pass@1', parseWindow('final'));
    expect(lab.pairs).toEqual(cli.pairs);
    expect(lab.result.t).toEqual(cli.result.t);
    expect(lab.result.bootstrap).toEqual(cli.result.bootstrap);
  });

  it('a self-play run file: its iterations draw the self-play plots, and go out again on export', () => {
    const record = JSON.parse(JSON.stringify(file.replicas[0].record));
    record.config.selfplay = { ...record.config.selfplay, loop: 'self-consuming' };
    record.steps = [];
    record.curriculum = [];
    const iterations = [0, 1, 2].map((iteration) => ({ iteration, 'heldout/mean': 0.1 + iteration / 10, 'bstar/temperature': 0.9 }));
    record.selfplay = { loop: 'self-consuming', iterations };
    const s = store();
    expect(importRunFile(s.getState(), JSON.stringify(record)).ok).toBe(true);
    const [run] = s.getState().runs;
    expect(run.selfplay?.loop).toBe('self-consuming');
    expect(run.selfplay?.points.map((p) => [p.iteration, p.metrics['heldout/mean']])).toEqual([[0, 0.1], [1, 0.2], [2, 0.30000000000000004]]);
    const [group] = groupRuns(s.getState().runs);
    const out = groupToFile(group);
    expect(out.format).toBe('rlvr-lab-run/1');
    expect((out as { selfplay?: unknown }).selfplay).toEqual({ loop: 'self-consuming', iterations });
  });
});
