// The experiment in the URL hash: `#v=<format version>&x=<payload>`, where the payload is the JSON of
// only what differs from the chosen preset laid over the defaults (the preset's id included),
// compressed with lz-string's URI-safe alphabet. The plain defaults encode as `#v=1`.
//
// Decoding never throws and returns data only: a schema-valid config and notes in words about what
// could not be used. Nothing read from a link is ever put into HTML or a path by this module, and
// reward code from a link is just a string here (the UI shows it for review before it first runs).
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { diff, isPlainObject } from './layer';
import { migrate, type Payload } from './migrations';
import { Notes } from './notes';
import { isPresetId, presetConfig } from './presets';
import { restoreExperiment } from './restore';
import { SCHEMA_VERSION, defaultExperiment, type ExperimentConfig } from './schema';

/** Longer hashes are refused before any decompression (a real link is well under 2 KB; reward code
 *  near its 20,000-character limit still compresses below this). */
export const MAX_HASH_LENGTH = 16 * 1024;
/** Decompressed JSON longer than this is refused before parsing (lz-string can expand a lot). */
export const MAX_JSON_LENGTH = 256 * 1024;
/** Chat apps and some mail clients cut or refuse URLs past about this length: the UI warns. */
export const LINK_WARN_LENGTH = 2000;

/** lz-string's compressToEncodedURIComponent alphabet (a space is a '+' some tool decoded). */
const PAYLOAD_CHARS = /^[A-Za-z0-9+\-$ ]*$/;

export interface DecodedExperiment {
  config: ExperimentConfig;
  /** What could not be used and why, for the reader; empty for a clean link. */
  notes: string[];
}

/** The payload of a config: its differences from its preset (over the defaults) plus the preset id. */
export function experimentPayload(config: ExperimentConfig): Payload {
  const preset = typeof config.preset === 'string' ? config.preset : '';
  const base = presetConfig(isPresetId(preset) ? preset : '');
  const changes = diff({ ...config, version: base.version, preset: base.preset }, base);
  const payload: Payload = isPlainObject(changes) ? changes : {};
  return preset ? { preset, ...payload } : payload;
}

/** The hash (with '#') that reproduces `config`. */
export function encodeExperiment(config: ExperimentConfig): string {
  const payload = experimentPayload(config);
  if (Object.keys(payload).length === 0) return `#v=${SCHEMA_VERSION}`;
  return `#v=${SCHEMA_VERSION}&x=${compressToEncodedURIComponent(JSON.stringify(payload))}`;
}

/** Length of the hash of `config`: compare with LINK_WARN_LENGTH (the page's address adds its own). */
export function linkLength(config: ExperimentConfig): number {
  return encodeExperiment(config).length;
}

function fallback(notes: Notes): DecodedExperiment {
  return { config: defaultExperiment(), notes: notes.toArray() };
}

/** Reads `v` and `x` from `v=1&x=…`. Not URLSearchParams: it would turn the payload's '+' into spaces. */
function readParams(hash: string, notes: Notes): { v?: string; x?: string } {
  const out: { v?: string; x?: string } = {};
  for (const part of hash.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (key !== 'v' && key !== 'x') notes.add(`Ignored the unknown link parameter ${/^[A-Za-z0-9_-]{1,20}$/.test(key) ? `"${key}"` : 'with unusual characters'}.`);
    else if (out[key] !== undefined) notes.add(`The link has "${key}" twice; used the first.`);
    else out[key] = value;
  }
  return out;
}

/** Decompressed, parsed payload, or null with a note. */
function readPayload(x: string, notes: Notes): Payload | null {
  if (!PAYLOAD_CHARS.test(x)) {
    notes.add('The link\'s data contains characters a link made by RLVR Lab never has (it was probably altered or cut); the defaults are loaded.');
    return null;
  }
  let json: string | null;
  try {
    json = decompressFromEncodedURIComponent(x.replace(/ /g, '+'));
  } catch {
    json = null;
  }
  if (typeof json !== 'string' || json === '') {
    notes.add('The link\'s data could not be decompressed (it was probably cut short or altered); the defaults are loaded.');
    return null;
  }
  if (json.length > MAX_JSON_LENGTH) {
    notes.add(`The link's data is too large once decompressed (over ${MAX_JSON_LENGTH / 1024} KB); the defaults are loaded.`);
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    notes.add('The link\'s data is damaged (it does not decompress to valid settings); the defaults are loaded.');
    return null;
  }
  if (!isPlainObject(parsed)) {
    notes.add('The link\'s data is not a set of settings; the defaults are loaded.');
    return null;
  }
  return parsed;
}

/** The experiment in a hash (`#v=1&x=…`, with or without '#', or a whole URL). Never throws. */
export function decodeExperiment(hash: unknown): DecodedExperiment {
  const notes = new Notes();
  try {
    if (typeof hash !== 'string') {
      notes.add('There is no link to read; the defaults are loaded.');
      return fallback(notes);
    }
    if (hash.length > MAX_HASH_LENGTH * 2) {
      notes.add(`The link is too long (${hash.length} characters; the limit is ${MAX_HASH_LENGTH}); the defaults are loaded.`);
      return fallback(notes);
    }
    const at = hash.indexOf('#');
    const body = at >= 0 ? hash.slice(at + 1) : hash;
    if (body.trim() === '') return fallback(notes);
    if (body.length > MAX_HASH_LENGTH) {
      notes.add(`The link is too long (${body.length} characters; the limit is ${MAX_HASH_LENGTH}); the defaults are loaded.`);
      return fallback(notes);
    }
    const params = readParams(body, notes);
    let version = SCHEMA_VERSION;
    if (params.v === undefined) {
      if (params.x === undefined) {
        notes.add('The link does not describe an experiment; the defaults are loaded.');
        return fallback(notes);
      }
      notes.add(`The link does not say its format version; read it as format ${SCHEMA_VERSION}.`);
    } else if (/^[0-9]{1,6}$/.test(params.v)) {
      version = Number(params.v);
    } else {
      notes.add('The link\'s format version is unreadable; the defaults are loaded.');
      return fallback(notes);
    }
    let payload: Payload | null = {};
    if (params.x !== undefined && params.x !== '') payload = readPayload(params.x, notes);
    if (payload === null) return fallback(notes);
    payload = migrate(version, payload, notes);
    if (payload === null) return fallback(notes);
    const config = restoreExperiment(payload, notes);
    return { config, notes: notes.toArray() };
  } catch {
    // Nothing above should throw; if something does, a link must still never break the page.
    notes.add('The link could not be read; the defaults are loaded.');
    return fallback(notes);
  }
}
