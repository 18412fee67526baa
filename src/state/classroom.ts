// The classroom options of the link this page was opened with (src/experiment/classroomLink.ts), read
// once: they hold for the page's life (a lesson moving its ?step= later does not change them).
import { parseClassroomLink, type ControlGroup, type ParsedClassroomLink } from '../experiment/classroomLink';

export const classroomLink: ParsedClassroomLink = parseClassroomLink(typeof location === 'undefined' ? '' : location.search);

export function isHidden(group: ControlGroup): boolean {
  return classroomLink.hide.includes(group);
}

export function isLocked(group: ControlGroup): boolean {
  return classroomLink.lock.includes(group);
}

/** The groups whose values a change may not touch: the locked ones, and the hidden ones too — a preset
 *  or a gallery card must not silently change a setting the student cannot even see. */
export const heldGroups: readonly ControlGroup[] = [...new Set([...classroomLink.lock, ...classroomLink.hide])];
