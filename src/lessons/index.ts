// The lessons, in the order a course would take them (one file per lesson; add one here).
import { curriculaLesson } from './curricula';
import { entropyClipHigherLesson } from './entropyClipHigher';
import { klDirectionLesson } from './klDirection';
import { passAtKLesson } from './passAtK';
import { positiveNegativeLesson } from './positiveNegative';
import { rewardHackingLesson } from './rewardHacking';
import { selfPlayLesson } from './selfPlay';
import type { Lesson } from './types';

export type { ChartRef, Lesson, LessonStep } from './types';

export const LESSONS: readonly Lesson[] = [passAtKLesson, entropyClipHigherLesson, klDirectionLesson, positiveNegativeLesson, curriculaLesson, rewardHackingLesson, selfPlayLesson];

export function getLesson(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}
