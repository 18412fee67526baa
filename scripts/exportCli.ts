// npm run export -- (--link '<hash or URL>' | --preset <id>) --target trl|verl|openrlhf --out <dir>
//                   [--checkpoint <lab .safetensors>]   export a policy trained in the lab instead of the starting one
// Writes the folder an engine runs: README.md, the configuration, data/, reward.py and the policy as a
// Hugging Face GPT-2 checkpoint (src/experiment/export). Reads base checkpoints from public/checkpoints.
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportExperiment, resolveArms, startingPolicy, unknownKeys, EXPORT_TARGETS, type ExportTarget } from '../src/experiment/export';
import { getPreset, presetConfig, PRESETS } from '../src/experiment/presets';
import { decodeExperiment } from '../src/experiment/urlCodec';
import type { ExperimentConfig } from '../src/experiment/schema';
import { parseCheckpoint, type Checkpoint } from '../src/model/checkpoint';

export const USAGE = "usage: npm run export -- (--link '<hash>' | --preset <id>) --target trl|verl|openrlhf --out <dir> [--checkpoint <file.safetensors>]";

export interface CliResult {
  out: string;
  files: string[];
  notes: string[];
  unmapped: string[];
}

function fail(message: string): never {
  throw new Error(`${message}\n${USAGE}`);
}

function loadBase(root: string, taskId: string): { checkpoint: Checkpoint; rlArms: string[] } | null {
  const dir = join(root, 'public/checkpoints');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, { file: string; rlArms?: string[] }>;
  const entry = manifest[taskId];
  if (!entry) return null;
  return { checkpoint: parseCheckpoint(new Uint8Array(readFileSync(join(dir, entry.file)))), rlArms: entry.rlArms ?? [] };
}

export function runExportCli(argv: string[], root = process.cwd()): CliResult {
  const { values } = parseArgs({
    args: argv,
    options: { link: { type: 'string' }, preset: { type: 'string' }, target: { type: 'string' }, out: { type: 'string' }, checkpoint: { type: 'string' } },
    strict: true,
  });
  if ((values.link === undefined) === (values.preset === undefined)) fail('Give exactly one of --link and --preset.');
  if (!values.target || !EXPORT_TARGETS.includes(values.target as ExportTarget)) fail(`--target must be one of ${EXPORT_TARGETS.join(', ')}.`);
  if (!values.out) fail('--out <dir> is required.');
  const target = values.target as ExportTarget;
  let config: ExperimentConfig;
  let notes: string[] = [];
  if (values.preset !== undefined) {
    if (!getPreset(values.preset)) fail(`Unknown preset ${JSON.stringify(values.preset)} (presets: ${PRESETS.map((p) => p.id).join(', ')}).`);
    config = presetConfig(values.preset);
  } else {
    const decoded = decodeExperiment(values.link);
    config = decoded.config;
    notes = decoded.notes;
  }
  const base = config.model.init === 'base' || !values.checkpoint ? loadBase(root, config.task.id) : null;
  const arms = resolveArms(config, base?.rlArms ?? []);
  let policy = startingPolicy(config, base?.checkpoint ?? null);
  if (values.checkpoint) {
    const checkpoint = parseCheckpoint(new Uint8Array(readFileSync(values.checkpoint)));
    policy = { config: checkpoint.config, values: checkpoint.values, description: `the lab checkpoint ${values.checkpoint.split('/').pop()}` };
  }
  const result = exportExperiment({ config, target, arms, policy });
  const unknown = unknownKeys(target, result.emittedKeys);
  if (unknown.length) throw new Error(`Internal error: keys not in ${target}'s key list: ${unknown.join(', ')}`);
  const out = resolve(values.out);
  if (existsSync(out) && readdirSync(out).length > 0) fail(`--out ${out} exists and is not empty; choose a new folder.`);
  for (const [path, content] of result.files) {
    const full = join(out, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content, path.endsWith('.sh') ? { mode: 0o755 } : {});
  }
  return { out, files: [...result.files.keys()], notes, unmapped: result.mapping.unmapped.map((u) => u.lab) };
}
