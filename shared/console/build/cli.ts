import { resolve } from 'node:path';
import { buildConsoleAssets } from './build-console.js';

// `tsx shared/console/build/cli.ts <outDir>`: CDK's bundling of the console function runs this (infra/constructs/console-site.ts).
const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: tsx shared/console/build/cli.ts <outDir>');
  process.exit(2);
}
buildConsoleAssets(resolve(outDir)).then(
  (built) => console.log(`console built in ${built.dir}: ${JSON.stringify(built.bytes)}`),
  (err: unknown) => {
    console.error(`console build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
