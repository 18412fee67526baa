// Server-side render of the Runs panel with a multi-seed run (Node has no DOM): its replicas are ONE
// row labelled "×N seeds", whose steps are every seed's, with an expander listing each seed's status.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { experimentSchema } from '../../experiment/schema';
import type { StepMetrics } from '../../rl/metrics';
import { useRunsStore } from '../../state/runsStore';
import { RunsPanel } from './RunsPanel';

const step = (s: number, loss: number) => ({ step: s, reward: 0, loss, entropy: 1 }) as unknown as StepMetrics;

describe('Runs panel (server render)', () => {
  const store = useRunsStore.getState();
  const single = store.createRun(experimentSchema.parse({ seed: 1 }), 'plain');
  store.appendMetrics(single, step(0, 0.5));
  const ids = store.createRunGroup(experimentSchema.parse({ seed: 7, seeds: 3 }), 'grouped');
  ids.forEach((id, k) => {
    store.appendMetrics(id, step(0, k));
    if (k < 2) store.appendMetrics(id, step(1, k)); // the third seed is one step behind
  });
  store.setStatus(ids[1], 'paused');
  Object.assign(useRunsStore.getInitialState(), useRunsStore.getState());

  it('shows a multi-seed run as one row with its seeds listed', () => {
    const html = renderToString(createElement(RunsPanel));
    expect(html.match(/data-testid="run-row"/g)).toHaveLength(2);
    expect(html).toContain('data-testid="run-label">grouped ×3 seeds</span>');
    expect(html).toMatch(new RegExp(`data-run-id="${ids[0]}"[^>]*data-seeds="3"[^>]*data-steps="1"`));
    expect(html.match(/data-testid="run-seed"/g)).toHaveLength(3);
    for (const [k, seed] of [7, 8, 9].entries()) expect(html).toMatch(new RegExp(`data-run-id="${ids[k]}" data-seed="${seed}" data-steps="${k < 2 ? 2 : 1}" [^>]*data-first-loss="${k}"`));
    // The group's status is the most pressing of its seeds'.
    expect(html).toMatch(/×3 seeds<\/span><span class="run-status run-status-paused">/);
    expect(html).not.toMatch(/plain[^<]*seeds/);
  });
});
