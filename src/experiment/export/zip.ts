// The export as one zip for the browser's download. fflate: a small, dependency-free, well-tested zip
// writer (the lab's only runtime dependency for this; writing the zip format by hand is not core work).
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { ExportFiles } from './types';

/** Every file under `folder/` in a zip; text as UTF-8. Shell scripts are marked executable. */
export function zipExport(files: ExportFiles, folder: string): Uint8Array {
  if (!/^[\w.-]+$/.test(folder)) throw new Error(`zip folder name ${JSON.stringify(folder)} must be letters, digits, '.', '_' or '-'`);
  const tree: Zippable = {};
  for (const [path, content] of files) {
    const data = typeof content === 'string' ? strToU8(content) : content;
    // os 3 = Unix, so the attributes' high 16 bits are the mode: 0755 for scripts, 0644 otherwise.
    const mode = path.endsWith('.sh') ? 0o100755 : 0o100644;
    tree[`${folder}/${path}`] = [data, { os: 3, attrs: mode << 16, level: path.endsWith('.safetensors') ? 0 : 6 }];
  }
  return zipSync(tree, { mtime: new Date('2026-01-01T00:00:00Z') });
}

/** The folder (and zip) name of an export: rlvr-<task>-<preset or 'custom'>-<target>. */
export function exportName(taskId: string, preset: string, target: string): string {
  return `rlvr-${taskId}-${(preset || 'custom').replace(/[^\w.-]/g, '_')}-${target}`;
}
