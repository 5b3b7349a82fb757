import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { emit, machine } from './machine.js';

/**
 * `npm run bench [name…]`: runs every `bench/*.bench.ts` (or the named ones) one after another, each in a fresh
 * process, and passes their JSON lines through. The first line says which machine the figures come from.
 */
const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

emit(machine());
let failed = 0;
for (const name of benches) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, `${name}.bench.ts`)], {
    stdio: 'inherit',
    // The SDK's Node 20 deprecation notice is noise between JSON lines.
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (result.status !== 0) {
    failed++;
    emit({ kind: 'error', bench: name, exitCode: result.status });
  }
}
process.exitCode = failed > 0 ? 1 : 0;
