// Which replay a lesson's run step offers (server-side render; Node has no DOM): the self-play lesson's
// is SPIN's recording (its button, never "no recording"); the curricula lesson's card, the curriculum
// race, offers its recording exactly when one of its arms' replays is shipped — until the race is
// recorded it says so instead of failing (its arms' files, docs/gallery/replays/race-*.json, are found
// by the build, so they show up once committed).
import { existsSync } from 'node:fs';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { GALLERY_CARDS } from '../../experiment/galleryCards';
import { getLesson } from '../../lessons';
import { LessonReplayButton } from './LessonReplayButton';

function runStepButton(lessonId: string): string {
  const run = getLesson(lessonId)?.steps.find((s) => s.kind === 'run');
  if (run?.kind !== 'run' || !run.card) throw new Error(`${lessonId}: no run step with a card`);
  return renderToString(createElement(LessonReplayButton, { cardId: run.card, preset: run.preset }));
}

describe('LessonReplayButton', () => {
  it("self-play: SPIN's one recorded seed, said so", () => {
    const html = runStepButton('self-play');
    expect(html).toContain('data-testid="lesson-replay"');
    expect(html).toContain('one seed');
    expect(html).not.toMatch(/no recording/i);
  });

  it('curricula: the curriculum race, shown when recorded, "no recording yet" before', () => {
    const race = GALLERY_CARDS.find((c) => c.id === 'curriculum-race');
    expect(race?.arms).toEqual(['race-dump', 'race-sec', 'race-uniform']);
    const recorded = race!.arms.some((arm) => existsSync(`docs/gallery/replays/${arm}.json`));
    const html = runStepButton('curricula');
    if (recorded) expect(html).toContain('data-testid="lesson-replay"');
    else expect(html).toContain('The gallery has no recording of this yet: run it live.');
  });

  it('a card recorded over seeds: its button', () => {
    expect(runStepButton('kl')).toContain('data-testid="lesson-replay"');
  });
});
