// Hides or locks a group of controls as the page's classroom link asks (?hide= / ?lock=, see
// src/experiment/classroomLink.ts). A locked group sits in a disabled <fieldset>: the browser disables
// every input, select and button inside it at once (and keeps a <details> summary clickable, so a locked
// section can still be opened and read). The reward editor, not a form control, reads isLocked itself.
import type { ReactNode } from 'react';
import { CONTROL_GROUP_LABELS, type ControlGroup } from '../../experiment/classroomLink';
import { isHidden, isLocked } from '../../state/classroom';

export const LOCKED_NOTE = "locked by the instructor's link";

export function ControlGroupGate({ group, inline = false, children }: { group: ControlGroup; inline?: boolean; children: ReactNode }) {
  if (isHidden(group)) return null;
  if (!isLocked(group)) return <>{children}</>;
  return (
    <fieldset className={`locked-group${inline ? ' inline' : ''}`} disabled data-testid={`locked-${group}`} title={`${CONTROL_GROUP_LABELS[group]}: ${LOCKED_NOTE}`}>
      {/* In the top bar the control's own label names it; in the column the section's title follows. */}
      <span className="locked-note small">{inline ? `(${LOCKED_NOTE})` : `${CONTROL_GROUP_LABELS[group]}: ${LOCKED_NOTE}`}</span>
      {children}
    </fieldset>
  );
}
