// Classroom link options (issue 19): query parameters beside the experiment's hash with which an
// instructor hides or locks groups of controls and stops the run at a step, e.g.
//   ?hide=model,selfplay&lock=algorithm,seed&stopAt=20#v=1&x=…
// The seed is fixed by locking it (`lock=seed`): there is no separate flag. They live in the query, not
// the hash, so the hash stays the experiment's alone and a student's own share link keeps them.
//
// Parsing never throws: each bad value is dropped with a note in words, like the hash's notes. A lock
// is a convenience for a class, not a security boundary (the student can edit the address).
import { z } from 'zod';

/** The groups of controls a link can hide or lock: the config column's sections, the reward code
 *  editor, the top bar's seed, preset picker and gallery button. */
export const CONTROL_GROUPS = ['task', 'model', 'algorithm', 'reward', 'editor', 'run', 'curriculum', 'selfplay', 'seed', 'preset', 'gallery'] as const;
export type ControlGroup = (typeof CONTROL_GROUPS)[number];

export const CONTROL_GROUP_LABELS: Record<ControlGroup, string> = {
  task: 'Task & arms',
  model: 'Model & base checkpoint',
  algorithm: 'Algorithm',
  reward: 'Reward (kind, terms and code)',
  editor: 'Reward code editor',
  run: 'Run length, seeds & evaluation',
  curriculum: 'Curriculum',
  selfplay: 'Self-play',
  seed: 'Seed',
  preset: 'Preset picker',
  gallery: 'Gallery',
};

/** The config paths a locked group holds fixed (a preset or card chosen elsewhere keeps them too).
 *  The preset picker and the gallery are controls only: locking them holds no value. */
export const LOCKED_PATHS: Record<ControlGroup, readonly (readonly string[])[]> = {
  task: [['task']],
  model: [['model']],
  algorithm: [['algorithm']],
  reward: [['reward']],
  editor: [['reward', 'code']],
  run: [['run'], ['seeds']],
  curriculum: [['curriculum']],
  selfplay: [['selfplay']],
  seed: [['seed']],
  preset: [],
  gallery: [],
};

/** The most steps any run has (the schema's run.steps and selfplay.iterations are well below). */
export const MAX_STOP_AT = 100_000;

export interface ClassroomOptions {
  hide: ControlGroup[];
  lock: ControlGroup[];
  /** Pause every run started on the page when it has done this many steps (iterations); null: never. */
  stopAt: number | null;
}

export interface ParsedClassroomLink extends ClassroomOptions {
  /** What could not be used and why; empty for a clean link. */
  notes: string[];
}

export const NO_CLASSROOM_OPTIONS: ClassroomOptions = { hide: [], lock: [], stopAt: null };

const groupSchema = z.enum(CONTROL_GROUPS);
const stopAtSchema = z.coerce.number().int().min(1).max(MAX_STOP_AT);

/** What a note may quote of the link: short and plain, else a description (never raw HTML either way). */
function quote(value: string): string {
  return /^[A-Za-z0-9_-]{1,24}$/.test(value) ? `"${value}"` : 'a value with unusual characters or too long';
}

function readGroups(name: 'hide' | 'lock', raw: string, notes: string[]): ControlGroup[] {
  const groups: ControlGroup[] = [];
  for (const item of raw.split(',').map((s) => s.trim())) {
    if (item === '') continue;
    const parsed = groupSchema.safeParse(item);
    if (!parsed.success) notes.push(`Ignored ${quote(item)} in ${name}=: not a group of controls (one of ${CONTROL_GROUPS.join(', ')}).`);
    else if (!groups.includes(parsed.data)) groups.push(parsed.data);
  }
  return groups;
}

/** The first value of a parameter, with a note when the link repeats it. */
function first(params: URLSearchParams, name: string, notes: string[]): string | null {
  const all = params.getAll(name);
  if (all.length > 1) notes.push(`The link has ${name}= ${all.length} times; used the first.`);
  return all.length > 0 ? all[0] : null;
}

/** The classroom options of a page's query (`location.search`, with or without '?'). Never throws. */
export function parseClassroomLink(search: unknown): ParsedClassroomLink {
  const notes: string[] = [];
  if (typeof search !== 'string' || search.length > 4096) return { ...NO_CLASSROOM_OPTIONS, notes: typeof search === 'string' ? ['The link\'s options are too long; none of them are used.'] : [] };
  const params = new URLSearchParams(search);
  const hideRaw = first(params, 'hide', notes);
  const lockRaw = first(params, 'lock', notes);
  const stopRaw = first(params, 'stopAt', notes);
  const hide = hideRaw === null ? [] : readGroups('hide', hideRaw, notes);
  const lock = lockRaw === null ? [] : readGroups('lock', lockRaw, notes).filter((g) => !hide.includes(g));
  let stopAt: number | null = null;
  if (stopRaw !== null) {
    const parsed = stopAtSchema.safeParse(stopRaw.trim() === '' ? NaN : stopRaw);
    if (parsed.success) stopAt = parsed.data;
    else notes.push(`Ignored stopAt=${quote(stopRaw)}: it must be a whole number of steps from 1 to ${MAX_STOP_AT}; the run is not stopped early.`);
  }
  return { hide, lock, stopAt, notes };
}

/** `search` with the classroom options replaced by `options` (other parameters such as view, mode or
 *  lesson kept); '' or '?…'. */
export function withClassroomOptions(search: string, options: ClassroomOptions): string {
  const params = new URLSearchParams(search);
  for (const name of ['hide', 'lock', 'stopAt']) params.delete(name);
  const lock = options.lock.filter((g) => !options.hide.includes(g));
  if (options.hide.length > 0) params.set('hide', options.hide.join(','));
  if (lock.length > 0) params.set('lock', lock.join(','));
  if (options.stopAt !== null) params.set('stopAt', String(options.stopAt));
  // Commas are safe in a query; unescaped they keep the link readable (hide=model,seed).
  const query = params.toString().replace(/%2C/g, ',');
  return query ? `?${query}` : '';
}

function getAt(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const key of path) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[key] : undefined;
  return cur;
}

function setAt<T>(obj: T, path: readonly string[], value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  const src = (typeof obj === 'object' && obj !== null ? obj : {}) as Record<string, unknown>;
  return { ...src, [head]: setAt(src[head], rest, value) } as T;
}

/** `next` with every value a locked group holds taken from `current`: what a change may become. */
export function keepLocked<T>(next: T, current: T, lock: readonly ControlGroup[]): T {
  let out = next;
  for (const group of lock) for (const path of LOCKED_PATHS[group]) out = setAt(out, path, getAt(current, path));
  return out;
}
