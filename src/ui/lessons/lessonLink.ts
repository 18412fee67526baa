// Which lesson and step the page shows, in the address's query (`?lesson=<id>&step=<n>`), so a lesson
// and its step can be linked. The experiment stays in the hash; the query is written with replaceState.
export interface LessonLocation {
  lessonId: string;
  step: number;
}

export function readLessonLocation(search: string): LessonLocation | null {
  const params = new URLSearchParams(search);
  const lessonId = params.get('lesson');
  if (!lessonId) return null;
  const step = Number(params.get('step') ?? '0');
  return { lessonId, step: Number.isInteger(step) && step >= 0 ? step : 0 };
}

/** The query with the lesson set (or removed, for null), other parameters kept. */
export function withLessonLocation(search: string, at: LessonLocation | null): string {
  const params = new URLSearchParams(search);
  if (at) {
    params.set('lesson', at.lessonId);
    params.set('step', String(at.step));
  } else {
    params.delete('lesson');
    params.delete('step');
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}
