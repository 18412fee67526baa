// The experiment being edited: one validated ExperimentConfig, mirrored into the URL hash.
//
// Every change goes through the schema (an invalid value is refused and the old config kept), so the
// rest of the page — and the worker — only ever see a schema-valid config. The hash is written with
// history.replaceState (no history entry per keystroke), debounced. On load the hash is decoded
// (decodeExperiment never throws); its notes are shown in a banner, and reward code that arrived by
// link waits for the reader's approval before it first runs.
import { create } from 'zustand';
import { keepLocked } from '../experiment/classroomLink';
import { presetConfig } from '../experiment/presets';
import { experimentSchema, type ExperimentConfig } from '../experiment/schema';
import { decodeExperiment, encodeExperiment } from '../experiment/urlCodec';
import { heldGroups } from './classroom';

/** 'none': nothing to approve; 'pending': code from a link, not yet approved (whatever the reward kind
 *  the link chose: a `weighted` or `verifier` link may still carry code that "Your code" would run);
 *  'approved'. */
export type RewardApproval = 'none' | 'pending' | 'approved';

export interface ConfigState {
  config: ExperimentConfig;
  /** What the link this page was opened with could not set (empty for a clean link). */
  linkNotes: string[];
  notesDismissed: boolean;
  rewardApproval: RewardApproval;
  /** Replaces the config if it validates; returns the problems otherwise (and keeps the old one). The
   *  values a classroom link locks (lock=seed …) keep their current value whoever asks for a change. */
  setConfig(next: unknown): string[] | null;
  /** Sets one field by path (e.g. ['algorithm', 'lr']); validated like setConfig. */
  setField(path: readonly string[], value: unknown): string[] | null;
  /** The preset's value of a field (what "reset" restores). */
  baselineValue(path: readonly string[]): unknown;
  /** Loads a hash (the one the page opened with, or a pasted one). */
  loadHash(hash: string): void;
  dismissNotes(): void;
  approveReward(): void;
  /** Not now: the verifier reward is used instead. The code stays unapproved, so choosing "Your code"
   *  again asks again (it never runs unreviewed). */
  rejectReward(): void;
  /** Drops the link's code (the editor starts empty); nothing is left to approve. */
  discardLinkCode(): void;
}

export function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function setPath<T>(obj: T, path: readonly string[], value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  const src = (typeof obj === 'object' && obj !== null ? obj : {}) as Record<string, unknown>;
  return { ...src, [head]: setPath(src[head], rest, value) } as T;
}

function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }): string[] {
  return error.issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
}

function decodeFromLocation(): { config: ExperimentConfig; notes: string[] } {
  if (typeof location === 'undefined') return { config: experimentSchema.parse({}), notes: [] };
  return decodeExperiment(location.hash);
}

const initial = decodeFromLocation();

function approvalFor(config: ExperimentConfig): RewardApproval {
  return config.reward.code.trim() !== '' ? 'pending' : 'none';
}

export const useConfigStore = create<ConfigState>()((set, get) => ({
  config: initial.config,
  linkNotes: initial.notes,
  notesDismissed: false,
  rewardApproval: approvalFor(initial.config),

  setConfig(next) {
    const parsed = experimentSchema.safeParse(keepLocked(next, get().config, heldGroups));
    if (!parsed.success) return issuesOf(parsed.error);
    set({ config: parsed.data });
    return null;
  },

  setField(path, value) {
    return get().setConfig(setPath(get().config, path, value));
  },

  baselineValue(path) {
    return getPath(presetConfig(get().config.preset), path);
  },

  loadHash(hash) {
    const decoded = decodeExperiment(hash);
    set({ config: keepLocked(decoded.config, get().config, heldGroups), linkNotes: decoded.notes, notesDismissed: false, rewardApproval: approvalFor(decoded.config) });
  },

  dismissNotes() {
    set({ notesDismissed: true });
  },

  approveReward() {
    set({ rewardApproval: 'approved' });
  },

  rejectReward() {
    const { config } = get();
    set({ config: { ...config, reward: { ...config.reward, kind: 'verifier' } } });
  },

  discardLinkCode() {
    const { config } = get();
    set({ config: { ...config, reward: { ...config.reward, code: '' } }, rewardApproval: 'none' });
  },
}));

// ---------------------------------------------------------------------------------- the URL hash

const HASH_DEBOUNCE_MS = 250;
let lastWrittenHash: string | null = null;
let hashTimer: ReturnType<typeof setTimeout> | null = null;

/** The page's address without its hash. */
function pageAddress(): string {
  return `${location.origin}${location.pathname}${location.search}`;
}

/** Writes the current config into the hash now (the debounce skipped). */
export function flushHash(): string {
  if (hashTimer !== null) clearTimeout(hashTimer);
  hashTimer = null;
  const hash = encodeExperiment(useConfigStore.getState().config);
  if (location.hash !== hash) history.replaceState(history.state, '', `${pageAddress()}${hash}`);
  lastWrittenHash = hash;
  return hash;
}

/** The link that reproduces the current experiment. */
export function shareUrl(): string {
  return `${pageAddress()}${encodeExperiment(useConfigStore.getState().config)}`;
}

let mirroring = false;

/** Starts mirroring the config into the hash, and reading hashes the reader pastes into this tab.
 *  Idempotent (StrictMode mounts twice). */
export function startHashMirror(): void {
  if (mirroring || typeof window === 'undefined') return;
  mirroring = true;
  flushHash();
  useConfigStore.subscribe((state, prev) => {
    if (state.config === prev.config) return;
    if (hashTimer !== null) clearTimeout(hashTimer);
    hashTimer = setTimeout(flushHash, HASH_DEBOUNCE_MS);
  });
  window.addEventListener('hashchange', () => {
    if (location.hash === lastWrittenHash) return;
    useConfigStore.getState().loadHash(location.hash);
    flushHash();
  });
}
