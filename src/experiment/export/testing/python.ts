// The exporter's tests run the exported Python: they need python3 (3.11) with numpy. This fails them
// with a clear message when it is missing — never skips them (.ci/run checks the same up front).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ExportFiles } from '../types';

export const PYTHON = process.env.PYTHON ?? 'python3';

/** Throws a sentence saying what to install when python3 or numpy is missing. */
export function requirePythonWithNumpy(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import sys, numpy; print(sys.version.split()[0], numpy.__version__)'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `These tests need ${PYTHON} (3.11) with numpy, to run the exported Python files. ` +
        (probe.error ? `${PYTHON} could not be started (${probe.error.message}). ` : `numpy is missing: ${probe.stderr.trim().split('\n').pop()}. `) +
        'Install them (Debian: apt-get install python3 python3-numpy; or pip install numpy), or set PYTHON to an interpreter that has numpy.',
    );
  }
}

/** Writes the files into a fresh temporary folder and returns its path. */
export function writeToTempDir(files: ExportFiles, prefix = 'rlvr-export-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, content] of files) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

/** Runs python3 with the arguments in `cwd`; stdout, or a thrown error carrying stderr. */
export function runPython(args: string[], options: { cwd?: string; input?: string } = {}): string {
  return execFileSync(PYTHON, args, { cwd: options.cwd, input: options.input, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
}
