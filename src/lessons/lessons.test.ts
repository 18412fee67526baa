// Every lesson is walkable and every reference in it resolves: its presets exist, its charts are charts
// the lab draws, and it has the lesson shape (question → run → look → explain → try).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GALLERY_CARDS, SELFPLAY_CARD } from '../experiment/galleryCards';
import { getPreset, presetConfig } from '../experiment/presets';
import { STEP_METRICS } from '../ui/plots/metricDefs';
import { SELFPLAY_CHARTS } from '../ui/plots/selfplayCharts';
import { LESSONS, getLesson } from './index';

/** Charts of the plots panel outside STEP_METRICS (PlotsPanel.tsx, ArmProbabilityChart.tsx). */
const OTHER_PLOTS = ['pass_at_k', 'arm_probability'];

describe('lessons', () => {
  it('at least six, with unique ids, found by id', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(6);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    for (const l of LESSONS) expect(getLesson(l.id)).toBe(l);
  });

  it('each is question → run → look → explain → try, with real presets and charts', () => {
    const plots = new Set([...STEP_METRICS.map((d) => d.id), ...OTHER_PLOTS]);
    const selfplayPlots = new Set(Object.values(SELFPLAY_CHARTS).flatMap((charts) => charts.map((c) => c.id)));
    for (const lesson of LESSONS) {
      expect(lesson.steps.map((s) => s.kind), lesson.id).toEqual(['question', 'run', 'look', 'explain', 'try']);
      for (const step of lesson.steps) {
        if (step.kind === 'question') expect(step.choices.length, lesson.id).toBeGreaterThanOrEqual(2);
        if (step.kind === 'run') expect(getPreset(step.preset), `${lesson.id}: preset ${step.preset}`).toBeDefined();
        if (step.kind === 'run' && step.card !== undefined) expect([...GALLERY_CARDS.map((c) => c.id), SELFPLAY_CARD.id], `${lesson.id}: card ${step.card}`).toContain(step.card);
        if (step.kind === 'try') for (const v of step.variations) expect(getPreset(v.preset), `${lesson.id}: preset ${v.preset}`).toBeDefined();
        if (step.kind === 'look') expect((step.chart.kind === 'plot' ? plots : selfplayPlots).has(step.chart.id), `${lesson.id}: chart ${step.chart.id}`).toBe(true);
      }
    }
  });

  it('each run step names a card whose recording it can show at once; the self-play one its loop\'s replay', () => {
    for (const lesson of LESSONS) {
      const run = lesson.steps.find((s) => s.kind === 'run');
      expect(run?.kind === 'run' && run.card, `${lesson.id}: a card`).toBeTruthy();
      if (run?.kind !== 'run' || run.card !== SELFPLAY_CARD.id) continue;
      // The self-play card's replay is the recorded run of the loop the step's preset runs (shipped in docs/selfplay/replays).
      const loop = presetConfig(run.preset).selfplay.loop;
      expect(loop, lesson.id).not.toBe('none');
      expect(existsSync(`docs/selfplay/replays/${loop}.json`), `${lesson.id}: docs/selfplay/replays/${loop}.json`).toBe(true);
    }
    expect(LESSONS.find((l) => l.id === 'self-play')?.steps.find((s) => s.kind === 'run')).toMatchObject({ card: SELFPLAY_CARD.id, preset: 'selfplay-spin' });
  });
});
