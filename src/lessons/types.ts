// A guided lesson (issue 19): a short sequence a student walks through — a question, their prediction, a
// run (a preset of the lab, live), what to look at (a chart, highlighted), the explanation with its
// paper, and variations to try. Plain data: the UI renders it, a test checks every reference in it.

/** A chart of the plots panel, by its id (`data-testid="plot-<id>"`, or `selfplay-plot-<id>`). */
export type ChartRef = { kind: 'plot' | 'selfplay-plot'; id: string };

export type LessonStep =
  | { kind: 'question'; text: string; choices: readonly string[] }
  /** `card`: the gallery card whose recorded seeds the step can show at once (an instant replay); the
   *  self-play card ('self-play') shows the recorded run of the loop the step's preset runs. */
  | { kind: 'run'; text: string; preset: string; card?: string }
  | { kind: 'look'; text: string; chart: ChartRef }
  | { kind: 'explain'; text: string }
  | { kind: 'try'; text: string; variations: readonly { label: string; preset: string }[] };

export interface Lesson {
  /** Link id (`?lesson=<id>`). */
  id: string;
  title: string;
  /** The paper the explanation follows; its address where it is a stable one. */
  paper: { title: string; url?: string };
  steps: readonly LessonStep[];
}
