import { describe, expect, it } from 'vitest';
import { readLessonLocation, withLessonLocation } from './lessonLink';

describe('lesson links', () => {
  it('reads and writes ?lesson=&step=, keeping other parameters', () => {
    expect(readLessonLocation('')).toBeNull();
    expect(readLessonLocation('?lesson=kl')).toEqual({ lessonId: 'kl', step: 0 });
    expect(readLessonLocation('?mode=projector&lesson=kl&step=3')).toEqual({ lessonId: 'kl', step: 3 });
    expect(readLessonLocation('?lesson=kl&step=-2')).toEqual({ lessonId: 'kl', step: 0 });
    expect(withLessonLocation('?mode=projector', { lessonId: 'kl', step: 2 })).toBe('?mode=projector&lesson=kl&step=2');
    expect(withLessonLocation('?lesson=kl&step=2', null)).toBe('');
  });
});
