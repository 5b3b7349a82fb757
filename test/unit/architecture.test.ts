import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The layer rules themselves are .dependency-cruiser.cjs (run by `npm run lint`); these tests prove they hold for the
// tree and that they bite: every rule is broken on purpose in a throw-away tree and must be reported.

const root = join(import.meta.dirname, '..', '..');
const DEPCRUISE = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const BIOME = join(root, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
const trees: string[] = [];
afterAll(() => {
  for (const dir of trees) rmSync(dir, { recursive: true, force: true });
});

/** A throw-away repository with our rule and lint configs, our node_modules and `files`. */
const plantTree = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'instaclone-layers-'));
  trees.push(dir);
  for (const name of ['.dependency-cruiser.cjs', '.dependency-cruiser.resolve.cjs', 'tsconfig.json', 'biome.json']) {
    copyFileSync(join(root, name), join(dir, name));
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ type: 'module', imports: { '#shared/*': './shared/*.js' } }),
  );
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
};

type Violation = { rule: { name: string }; from: string; to: string };

/** `rule: file` for every violation dependency-cruiser reports in `dir`, as `npm run lint:layers` would. */
const layerViolations = (dir: string): string[] => {
  const run = spawnSync(
    process.execPath,
    [DEPCRUISE, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', 'shared', 'functions', 'test'],
    { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const { violations } = (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary;
  return [...new Set(violations.map((v) => `${v.rule.name}: ${v.from}`))].sort();
};

/** One file per broken rule (the import that breaks it is its first line), plus files that keep every rule. */
const PLANTED: Record<string, string> = {
  'shared/clones/model/clone.ts': `import { store } from '../adapters/store.js';\nexport const clone = store;\n`,
  'shared/clones/ports/store-port.ts': `import type { submit } from '../use-cases/submit.js';\nexport type S = typeof submit;\n`,
  'shared/clones/use-cases/submit.ts': `import { store } from '../adapters/store.js';\nexport const submit = store;\n`,
  'shared/clones/use-cases/wait.ts': `import { systemClock } from '../../runtime/clock.js';\nexport const wait = systemClock;\n`,
  'shared/clones/use-cases/notify.ts': `import { request } from 'node:https';\nexport const notify = request;\n`,
  'shared/clones/api/routes.ts': `import { store } from '../adapters/store.js';\nexport const routes = store;\n`,
  'shared/clones/api/queue-route.ts': `import { SQSClient } from '@aws-sdk/client-sqs';\nexport const q = SQSClient;\n`,
  'shared/clones/adapters/store.ts': `import { submit } from '../use-cases/submit.js';\nexport const store = () => submit;\n`,
  'shared/clones/model/typo.ts': `import { nothing } from './nowhere.js';\nexport const typo = nothing;\n`,
  'shared/pools/use-cases/claim.ts': `import { submit } from '#shared/clones/use-cases/submit';\nexport const claim = submit;\n`,
  'shared/pools/adapters/claims.ts': `import { store } from '../../clones/adapters/store.js';\nexport const claims = store;\n`,
  // A feature nobody listed is a feature all the same.
  'shared/billing/model/invoice.ts': `import { q } from '../api/queue.js';\nexport const invoice = q;\n`,
  'shared/billing/api/queue.ts': 'export const q = 1;\n',
  'shared/http/route.ts': `import { submit } from '../clones/use-cases/submit.js';\nexport const route = submit;\n`,
  'shared/vsphere/client.ts': `import { AppError } from '../errors/app-error.js';\nexport const client = AppError;\n`,
  'shared/errors/app-error.ts': `import { fake } from '../../test/fakes/fake.js';\nexport const AppError = fake;\n`,
  'shared/aws/clients.ts': `import { handler } from '../../functions/api/handler.js';\nexport const clients = handler;\n`,
  'shared/runtime/clock.ts':
    'export const systemClock = { now: () => new Date() };\nexport type Clock = typeof systemClock;\n',
  'functions/api/handler.ts': `import { routes } from '#shared/clones/api/routes';\nexport const handler = routes;\n`,
  'test/fakes/fake.ts': 'export const fake = 1;\n',
  'shared/console/web/page.tsx': `import { readFileSync } from 'node:fs';\nexport const page = readFileSync;\n`,
  'shared/console/api/serve.ts': `import { build } from 'esbuild';\nexport const serve = build;\n`,
  'shared/console/web/fine.tsx':
    `import { render } from 'preact';\nimport { clone } from '../../clones/model/clone.js';\n` +
    'export const fine = [render, clone];\n',
  // Kept rules: another feature's model and ports, the runtime's types, an SDK in an adapter, a composition root.
  'shared/pools/use-cases/fine.ts':
    `import type { Clock } from '../../runtime/clock.js';\nimport type { S } from '../../clones/ports/store-port.js';\n` +
    `import { clone } from '../../clones/model/clone.js';\nexport const fine = (c: Clock, s: S) => [c, s, clone];\n`,
  'shared/pools/adapters/queue.ts': `import { SQSClient } from '@aws-sdk/client-sqs';\nexport const queue = SQSClient;\n`,
  'shared/composition/deps.ts': `import { claims } from '../pools/adapters/claims.js';\nexport const deps = { claims };\n`,
};

describe('Architecture', () => {
  it('keeps every layer rule in the tree (npm run lint:layers)', () => {
    // Act
    const run = spawnSync('npm', ['run', '--silent', 'lint:layers'], { cwd: root, encoding: 'utf8' });
    // Assess
    expect(run.stdout + run.stderr).toContain('no dependency violations found');
    expect(run.status).toBe(0);
  }, 60_000);

  it('reports every broken layer rule, and nothing for files that keep them', () => {
    // Prepare
    const dir = plantTree(PLANTED);
    // Act
    const violations = layerViolations(dir);
    // Assess
    expect(violations).toEqual([
      'adapters-implement-ports: shared/clones/adapters/store.ts',
      'api-without-adapters: shared/clones/api/routes.ts',
      'console-build-never-deployed: shared/console/api/serve.ts',
      'console-page-imports-little: shared/console/web/page.tsx',
      'cross-cutting-below-features: shared/http/route.ts',
      'deployed-code-stays-deployable: shared/errors/app-error.ts',
      'features-meet-through-models-and-ports: shared/pools/adapters/claims.ts',
      'features-meet-through-models-and-ports: shared/pools/use-cases/claim.ts',
      'functions-are-entry-points: shared/aws/clients.ts',
      'io-only-in-adapters: shared/clones/api/queue-route.ts',
      'io-only-in-adapters: shared/clones/use-cases/notify.ts',
      'model-imports-only-models: shared/billing/model/invoice.ts',
      'model-imports-only-models: shared/clones/model/clone.ts',
      'model-imports-only-models: shared/clones/model/typo.ts',
      'no-circular: shared/clones/adapters/store.ts',
      'not-to-unresolvable: shared/clones/model/typo.ts',
      'ports-import-models-and-ports: shared/clones/ports/store-port.ts',
      'use-cases-only-type-runtime: shared/clones/use-cases/wait.ts',
      'use-cases-over-models-and-ports: shared/clones/use-cases/notify.ts',
      'use-cases-over-models-and-ports: shared/clones/use-cases/submit.ts',
      'use-cases-over-models-and-ports: shared/pools/use-cases/claim.ts',
      'vsphere-is-a-library: shared/vsphere/client.ts',
    ]);
  }, 60_000);

  it('lets only adapters, shared/aws and shared/vsphere call the global fetch (biome)', () => {
    // Prepare
    const call = 'export const get = async (url: string) => (await fetch(url)).status;\n';
    const dir = plantTree({
      'shared/clones/use-cases/get.ts': call,
      'functions/api/get.ts': call,
      'shared/clones/adapters/get.ts': call,
      'shared/aws/get.ts': call,
      'local/get.ts': call,
    });
    // Act
    const run = spawnSync(BIOME, ['lint', '--vcs-enabled=false', '--reporter=json', '.'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const { diagnostics } = JSON.parse(run.stdout) as {
      diagnostics: { category: string; location: { path: string } }[];
    };
    // Assess
    expect(
      diagnostics
        .filter((d) => d.category === 'lint/style/noRestrictedGlobals')
        .map((d) => d.location.path)
        .sort(),
    ).toEqual(['functions/api/get.ts', 'shared/clones/use-cases/get.ts']);
  }, 60_000);

  it('imports zod as a namespace in deployed code, so bundles can leave out what they never use', () => {
    // Act: `import { z } from 'zod'` makes esbuild keep all of zod, locales included (about 360 KiB per bundle).
    const violations = ['shared', 'functions']
      .flatMap((dir) =>
        !existsSync(join(root, dir))
          ? []
          : readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
              .filter((f) => f.endsWith('.ts'))
              .map((f) => join(dir, f)),
      )
      .filter((file) => /^import\s+\{[^}]*\bz\b[^}]*\}\s+from\s+'zod'/m.test(readFileSync(join(root, file), 'utf8')));
    // Assess
    expect(violations).toEqual([]);
  });
});
