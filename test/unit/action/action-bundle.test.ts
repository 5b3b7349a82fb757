import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUNDLES, buildBundles } from '../../../tools/build-bundles.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; main: string; post: string; 'post-if': string };
};

describe('The GitHub Action as GitHub runs it (action.yml) and the committed bundles', () => {
  it('commits bundles equal to a fresh build of action/ and cli/ (run npm run build:dist after a change)', async () => {
    // Act
    const built = await buildBundles();
    // Assess
    for (const path of Object.values(BUNDLES)) {
      expect(readFileSync(join(ROOT, path), 'utf8'), `${path} is stale: npm run build:dist`).toBe(built[path]);
    }
  });

  it('runs the bundles on node24, with a post step that runs after failures and cancellations', () => {
    // Assess
    expect(action.runs).toEqual({
      using: 'node24',
      main: BUNDLES.main,
      post: BUNDLES.post,
      'post-if': 'always()',
    });
  });

  it('bundles every import: the steps need nothing installed', () => {
    // Assess
    for (const path of Object.values(BUNDLES)) {
      const imports = [...readFileSync(join(ROOT, path), 'utf8').matchAll(/^import .* from "([^"]+)";$/gm)].map(
        (m) => m[1],
      );
      expect(
        imports.every((name) => name?.startsWith('node:')),
        `${path} imports ${imports.join(', ')}`,
      ).toBe(true);
    }
  });

  it('declares exactly the inputs the steps read', () => {
    // Prepare
    const sources = readdirSync(join(ROOT, 'action'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(ROOT, 'action', f), 'utf8'))
      .join('\n');
    const read = new Set(
      [...sources.matchAll(/(?:input|booleanInput|positive)\(env, '([a-z-]+)'\)/g)].map((m) => m[1]),
    );
    // Assess
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort());
  });
});
