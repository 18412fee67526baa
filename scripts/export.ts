// npm run export -- (--link '<hash>' | --preset <id>) --target trl|verl|openrlhf --out <dir>: see exportCli.ts.
import { runExportCli } from './exportCli';

try {
  const r = runExportCli(process.argv.slice(2));
  for (const note of r.notes) console.log(`note: ${note}`);
  console.log(`Wrote ${r.files.length} files to ${r.out}`);
  console.log(r.unmapped.length ? `Settings that do not map (see README.md): ${r.unmapped.join(', ')}` : 'Every setting maps.');
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
