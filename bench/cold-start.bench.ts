/**
 * `cold-start`: the worker as Lambda would load it. Bundles `functions/clone-worker/handler.ts` with esbuild the
 * way the CDK stack does (ESM, node20, minified with kept names, the createRequire banner, the same aliases, nothing
 * external) into a temp folder next to the WSDL subset it ships, and reports the bundle size (goal ≤ 1.5 MB).
 *
 * Then it times fresh `node` processes (goal ≤ 250 ms) that import a probe bundle, which is the worker bundle plus
 * one vim25 client built and used once (WSDL parse, connection, RetrieveServiceContent, Login, FindByInventoryPath)
 * against a simulator in this process: what the first invocation pays before its first clone. Reported: the wall
 * time of the whole process as seen from here, and inside it the module load and the first vCenter call.
 * Usage: `npm run bench cold-start` (env BENCH_COLD_RUNS, default 10; BENCH_COLD_KEEP=1 keeps the bundles).
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_ALIASES } from '#infra/constructs/node-function';
import { startVcSim } from '#local/vcsim/index';
import { summarise } from './latency-summary.js';
import { emit, machine } from './machine.js';

const runs = Number(process.env.BENCH_COLD_RUNS ?? 10);
const repo = join(import.meta.dirname, '..');
/** Same banner as infra/constructs/node-function.ts: bundled CommonJS still calls require(). */
const BANNER =
  "import { createRequire as __instacloneCreateRequire } from 'node:module'; const require = __instacloneCreateRequire(import.meta.url);";

const bundle = async (entry: string, outfile: string) =>
  build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    minify: true,
    keepNames: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: BANNER },
    alias: { ...BUNDLE_ALIASES },
    logLevel: 'error',
    absWorkingDir: repo,
    metafile: true,
  });

/** Bytes each package (or repo folder) contributes to the bundle, largest first: where the size goes. */
const largestInputs = (metafile: Metafile, top = 8): Record<string, number> => {
  const byPackage: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const key = file.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? file.split('/').slice(0, 2).join('/');
      byPackage[key] = (byPackage[key] ?? 0) + bytesInOutput;
    }
  }
  return Object.fromEntries(
    Object.entries(byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => [k, Math.round(v / 1024)]),
  );
};

/** The probe: the worker module's cold start, then the first vim25 call a clone would make. */
const PROBE = `
const t0 = performance.now();
await import(${JSON.stringify(join(repo, 'functions/clone-worker/handler.ts'))});
const t1 = performance.now();
const { createVimClient } = await import(${JSON.stringify(join(repo, 'shared/vsphere/index.ts'))});
const vim = createVimClient({ url: process.env.VCENTER_URL, credentials: async () => ({ username: 'cold', password: 'start' }) });
await vim.findByInventoryPath('/DC0/vm/DC0_H0_VM0');
const t2 = performance.now();
process.stdout.write(JSON.stringify({ sinceProcessStartMs: t0, importMs: t1 - t0, firstCallMs: t2 - t1, totalInProcessMs: t2 }) + '\\n');
process.exit(0);
`;

const timeProcess = (file: string, env: Record<string, string>) =>
  new Promise<{ wallMs: number; inside: Record<string, number> }>((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [file], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`probe exited ${code}`));
      resolve({ wallMs: performance.now() - t0, inside: JSON.parse(out.trim()) as Record<string, number> });
    });
  });

emit(machine());
const dir = await mkdtemp(join(tmpdir(), 'instaclone-cold-start-'));
const vc = await startVcSim({ taskDurationMs: 0 });
try {
  const worker = await bundle(join(repo, 'functions/clone-worker/handler.ts'), join(dir, 'worker', 'index.mjs'));
  await cp(join(repo, 'shared/vsphere/wsdl'), join(dir, 'worker', 'wsdl'), { recursive: true });
  const probeEntry = join(dir, 'probe-entry.mjs');
  await writeFile(probeEntry, PROBE);
  await bundle(probeEntry, join(dir, 'probe', 'index.mjs'));
  await cp(join(repo, 'shared/vsphere/wsdl'), join(dir, 'probe', 'wsdl'), { recursive: true });
  // No node_modules next to the bundles: the probe runs only if the bundle is self-contained, as on Lambda.
  const bytes = (await stat(join(dir, 'worker', 'index.mjs'))).size;
  const wsdlBytes = (await stat(join(dir, 'worker', 'wsdl', 'vim25-subset.wsdl'))).size;
  const mapBytes = (await stat(join(dir, 'worker', 'index.mjs.map'))).size;
  const env = {
    AWS_REGION: 'us-east-1',
    JOBS_TABLE_NAME: 'instaclone-jobs',
    EVENT_BUS_NAME: 'instaclone',
    CLONE_QUEUE_URL: 'http://127.0.0.1:9/000000000000/instaclone-clone-requests',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
    AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9',
    AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:9',
    VCENTER_URL: vc.url,
    VCENTER_USERNAME: 'cold',
    VCENTER_PASSWORD: 'start',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  await timeProcess(join(dir, 'probe', 'index.mjs'), env); // the first run warms the page cache
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await timeProcess(join(dir, 'probe', 'index.mjs'), env));
  const wall = summarise(samples.map((s) => s.wallMs));
  // What this machine takes to start and stop a node process that does nothing: the floor under every figure here.
  const bare = join(dir, 'bare.mjs');
  await writeFile(bare, "process.stdout.write('{}\\n');");
  const bareSamples = [];
  for (let i = 0; i < runs; i++) bareSamples.push(await timeProcess(bare, {}));
  const bareWall = summarise(bareSamples.map((s) => s.wallMs));
  emit({
    kind: 'figure',
    bench: 'cold-start',
    bundleBytes: bytes,
    bundleMiB: Math.round((bytes / 2 ** 20) * 100) / 100,
    largestInputsKiB: largestInputs(worker.metafile),
    shippedAlongside: { wsdlBytes, sourceMapBytes: mapBytes },
    runs,
    processWallMs: wall,
    bareNodeProcessWallMs: bareWall,
    aboveBareNodeP50Ms: Math.round((wall.p50 - bareWall.p50) * 10) / 10,
    // Node's own start plus reading and compiling the bundle, before any of its code runs.
    bootAndParseMs: summarise(samples.map((s) => s.inside.sinceProcessStartMs ?? 0)),
    // Running the worker's module bodies: schemas, SDK clients, config, logger (the handler's cold init).
    workerInitMs: summarise(samples.map((s) => s.inside.importMs ?? 0)),
    firstVcenterCallMs: summarise(samples.map((s) => s.inside.firstCallMs ?? 0)),
    goal: { processWallMs: '<= 250 (median)', bundleMiB: '<= 1.5' },
    met: wall.p50 <= 250 && bytes <= 1.5 * 2 ** 20,
  });
} finally {
  await vc.close();
  // BENCH_COLD_KEEP=1 keeps the bundles so the probe can be timed again with outside tools (e.g. /usr/bin/time -v).
  if (process.env.BENCH_COLD_KEEP === '1') emit({ kind: 'note', bench: 'cold-start', keptBundles: dir });
  else await rm(dir, { recursive: true, force: true });
}
