// A guided lesson over the live lab (issue 19): one step at a time — the question and the student's
// prediction, the run (loads the lesson's preset and starts it), the chart to look at (scrolled to and
// outlined), the explanation with the paper and the prediction recalled, and variations to try.
// Addressable by link (?lesson=<id>&step=<n>) and walkable by keyboard (← →, Escape closes).
import { useEffect, useState } from 'react';
import { getPreset, presetConfig } from '../../experiment/presets';
import { LessonReplayButton } from './LessonReplayButton';
import { getLesson, LESSONS, type ChartRef, type Lesson, type LessonStep } from '../../lessons';
import { useSessionStore } from '../../state/sessionStore';
import { readLessonLocation, withLessonLocation, type LessonLocation } from './lessonLink';

const HIGHLIGHT = 'lesson-highlight';

function chartSelector(chart: ChartRef): string {
  return `[data-testid="${chart.kind}-${chart.id}"]`;
}

/** Outlines the chart a "look" step names (and scrolls to it), once the page has it: some charts (the
 *  self-play ones) appear only when a run has points. Returns whether it is there; undone on a change. */
function useChartHighlight(chart: ChartRef | null): boolean {
  const [present, setPresent] = useState(false);
  useEffect(() => {
    if (!chart) return;
    let el: Element | null = null;
    const find = () => {
      if (el) return;
      el = document.querySelector(chartSelector(chart));
      if (!el) return;
      el.classList.add(HIGHLIGHT);
      el.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
      setPresent(true);
    };
    find();
    const timer = setInterval(find, 500);
    return () => {
      clearInterval(timer);
      el?.classList.remove(HIGHLIGHT);
      setPresent(false);
    };
  }, [chart?.kind, chart?.id]);
  return present;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest?.('.monaco-editor'));
}

export function useLessonLocation(): [LessonLocation | null, (at: LessonLocation | null) => void] {
  const [at, setAt] = useState(() => (typeof location === 'undefined' ? null : readLessonLocation(location.search)));
  const go = (next: LessonLocation | null) => {
    history.replaceState(history.state, '', `${location.pathname}${withLessonLocation(location.search, next)}${location.hash}`);
    setAt(next);
  };
  return [at, go];
}

export function LessonPanel({ at, go }: { at: LessonLocation; go: (at: LessonLocation | null) => void }) {
  const lesson = getLesson(at.lessonId);
  const [predictions, setPredictions] = useState<Record<string, number>>({});
  const stepIndex = lesson ? Math.min(at.step, lesson.steps.length - 1) : 0;
  const step = lesson?.steps[stepIndex];
  const chartPresent = useChartHighlight(step?.kind === 'look' ? step.chart : null);
  const prediction = lesson ? predictions[lesson.id] : undefined;
  const canNext = !!lesson && stepIndex < lesson.steps.length - 1 && (step?.kind !== 'question' || prediction !== undefined);

  useEffect(() => {
    if (!lesson) return;
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'ArrowRight' && canNext) go({ lessonId: lesson.id, step: stepIndex + 1 });
      else if (e.key === 'ArrowLeft' && stepIndex > 0) go({ lessonId: lesson.id, step: stepIndex - 1 });
      else if (e.key === 'Escape') go(null);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!lesson || !step) {
    return (
      <section className="panel lesson-panel" role="region" aria-label="Lesson" data-testid="lesson-panel" data-missing="true">
        <p>No lesson “{at.lessonId}”. The lessons are: {LESSONS.map((l) => l.title).join('; ')}.</p>
        <button type="button" onClick={() => go(null)}>
          Close
        </button>
      </section>
    );
  }
  return (
    <section className="panel lesson-panel" role="region" aria-label={`Lesson: ${lesson.title}`} data-testid="lesson-panel" data-lesson={lesson.id} data-step={stepIndex} data-steps={lesson.steps.length} data-kind={step.kind}>
      <header className="lesson-header">
        <h2>{lesson.title}</h2>
        <span className="muted small">
          step {stepIndex + 1} of {lesson.steps.length} · ← → to move, Esc to close
        </span>
      </header>
      <StepBody lesson={lesson} step={step} prediction={prediction} chartPresent={chartPresent} onPredict={(choice) => setPredictions((p) => ({ ...p, [lesson.id]: choice }))} />
      <div className="button-row">
        <button type="button" data-testid="lesson-back" disabled={stepIndex === 0} onClick={() => go({ lessonId: lesson.id, step: stepIndex - 1 })}>
          ← Back
        </button>
        <button type="button" className="primary" data-testid="lesson-next" disabled={!canNext} onClick={() => go({ lessonId: lesson.id, step: stepIndex + 1 })}>
          Next →
        </button>
        <button type="button" data-testid="lesson-close" onClick={() => go(null)}>
          Close
        </button>
      </div>
    </section>
  );
}

function loadPreset(preset: string): void {
  useSessionStore.getState().loadAndRun(presetConfig(preset));
}

function StepBody({ lesson, step, prediction, chartPresent, onPredict }: { lesson: Lesson; step: LessonStep; prediction: number | undefined; chartPresent: boolean; onPredict: (choice: number) => void }) {
  switch (step.kind) {
    case 'question':
      return (
        <fieldset className="lesson-question">
          <legend>{step.text}</legend>
          {step.choices.map((choice, i) => (
            <label key={choice}>
              <input type="radio" name={`prediction-${lesson.id}`} data-testid="lesson-choice" checked={prediction === i} onChange={() => onPredict(i)} /> {choice}
            </label>
          ))}
          <p className="muted small">Make your prediction, then go on.</p>
        </fieldset>
      );
    case 'run':
      return (
        <div>
          <p>{step.text}</p>
          <div className="button-row">
            <button type="button" className="primary" data-testid="lesson-run" onClick={() => loadPreset(step.preset)}>
              ▶ Load and run “{getPreset(step.preset)?.title ?? step.preset}”
            </button>
            {step.card && <LessonReplayButton cardId={step.card} preset={step.preset} />}
          </div>
        </div>
      );
    case 'look':
      return (
        <div data-testid="lesson-look" data-chart-present={String(chartPresent)}>
          <p>{step.text}</p>
          {!chartPresent && <p className="muted small">This chart appears once the run has points: run the step before, then come back.</p>}
        </div>
      );
    case 'explain': {
      const question = lesson.steps.find((s) => s.kind === 'question');
      return (
        <div>
          {question?.kind === 'question' && prediction !== undefined && (
            <p className="muted">
              You predicted: <em>{question.choices[prediction]}</em>
            </p>
          )}
          <p>{step.text}</p>
          <p className="muted small">
            Paper: {lesson.paper.url ? <a href={lesson.paper.url} target="_blank" rel="noreferrer">{lesson.paper.title}</a> : lesson.paper.title}
          </p>
        </div>
      );
    }
    case 'try':
      return (
        <div>
          <p>{step.text}</p>
          <div className="button-row">
            {step.variations.map((v) => (
              <button key={v.preset} type="button" data-testid="lesson-variation" onClick={() => loadPreset(v.preset)}>
                ▶ {v.label}
              </button>
            ))}
          </div>
        </div>
      );
  }
}

/** The list of lessons (a dialog-free menu in the top bar). */
export function LessonPicker({ onOpen }: { onOpen: (lessonId: string) => void }) {
  return (
    <select className="lesson-picker" data-testid="lesson-picker" aria-label="Open a lesson" value="" onChange={(e) => e.target.value && onOpen(e.target.value)}>
      <option value="">Lessons…</option>
      {LESSONS.map((l) => (
        <option key={l.id} value={l.id}>
          {l.title}
        </option>
      ))}
    </select>
  );
}
