// Reading a run file (runFile.ts) from text, with what is wrong said in words a student can act on:
// not JSON (and whether it looks cut short), not a run file, a format this lab does not read, or the
// first few fields that fail the schema, each with its path (`replicas[1].record.steps[3].reward`).
import { z } from 'zod';
import { RUN_FORMAT, runFileSchema, SEEDS_FORMAT, seedsFileSchema, type RunFile, type SeedsFile } from './runFile';

export type ParsedRunFile = { kind: 'run'; file: RunFile } | { kind: 'seeds'; file: SeedsFile };
export type RunFileResult = { ok: true; value: ParsedRunFile } | { ok: false; message: string };

/** Issues listed in a message at most; the rest are counted. */
const MAX_ISSUES = 3;

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out || '(the file)';
}

function issueText(issue: z.core.$ZodIssue): string {
  // JSON has no NaN or Infinity: JSON.stringify writes them as null, so a null number is most often one.
  const hint = issue.code === 'invalid_type' && /received null/.test(issue.message) ? ' (a NaN or infinite value is written as null in JSON)' : '';
  return `${pathText(issue.path)}: ${issue.message}${hint}`;
}

function schemaMessage(error: z.ZodError, format: string): string {
  const issues = error.issues.slice(0, MAX_ISSUES).map(issueText);
  const more = error.issues.length > MAX_ISSUES ? `; and ${error.issues.length - MAX_ISSUES} more` : '';
  return `This ${format} file does not hold a valid run: ${issues.join('; ')}${more}.`;
}

function seedsProblems(file: SeedsFile): string | null {
  const seeds = file.replicas.map((r) => r.seed);
  const repeated = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (repeated !== undefined) return `seed ${repeated} appears in more than one replica`;
  if (file.seeds.join(',') !== seeds.join(',')) return `its seed list (${file.seeds.join(', ')}) does not match its replicas' seeds (${seeds.join(', ')})`;
  const mismatch = file.replicas.find((r) => r.record.config.seed !== r.seed);
  if (mismatch) return `the replica of seed ${mismatch.seed} was trained with seed ${mismatch.record.config.seed}`;
  return null;
}

/** The run file in `text`, or a message saying what is wrong with it. */
export function readRunFile(text: string): RunFileResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // A file cut short fails at its very end (V8 names the position; other engines say "end of input").
    const at = /at position ([0-9]+)/.exec(message);
    const cut = text.trim() === '' || /end of (JSON )?(input|data)|unterminated|Unexpected end/i.test(message) || (at !== null && Number(at[1]) >= text.trimEnd().length);
    return { ok: false, message: cut ? `This file is not complete JSON: it ends too early (truncated?). ${message}` : `This file is not JSON, so not a run file: ${message}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, message: 'This file is JSON but not a run file: a run file is an object with a "format" field.' };
  const format = (json as { format?: unknown }).format;
  if (format === RUN_FORMAT) {
    const parsed = runFileSchema.safeParse(json);
    return parsed.success ? { ok: true, value: { kind: 'run', file: parsed.data } } : { ok: false, message: schemaMessage(parsed.error, RUN_FORMAT) };
  }
  if (format === SEEDS_FORMAT) {
    const parsed = seedsFileSchema.safeParse(json);
    if (!parsed.success) return { ok: false, message: schemaMessage(parsed.error, SEEDS_FORMAT) };
    const problem = seedsProblems(parsed.data);
    return problem ? { ok: false, message: `This ${SEEDS_FORMAT} file is inconsistent: ${problem}.` } : { ok: true, value: { kind: 'seeds', file: parsed.data } };
  }
  const what = format === undefined ? 'it has no "format" field' : `its format is ${JSON.stringify(format).slice(0, 60)}`;
  return { ok: false, message: `This is not a run file this lab reads: ${what} (expected ${RUN_FORMAT} or ${SEEDS_FORMAT}).` };
}
