import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunConfigSchema } from '#local/run-config';
import { HOOK_SECRET_VARIABLES } from '#shared/hooks/api/hook-routes';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The variables named in the first column of the `npm start` section's environment table. */
const tableVariables = (() => {
  const from = readme.indexOf('## `npm start`');
  const section = readme.slice(from, readme.indexOf('\n### ', from));
  const rows = section.split('\n').filter((line) => /^\| `[A-Z]/.test(line));
  return new Set(
    rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])),
  );
})();

describe('README: the variables it names are the ones the code reads', () => {
  it('lists every variable npm start reads in its environment table, and no other', () => {
    // Assess
    expect([...tableVariables].sort()).toEqual(Object.keys(RunConfigSchema.shape).sort());
  });

  it("names the CLI's and the hooks' variables", () => {
    // Assess
    const cli = ['INSTACLONE_API_URL', 'INSTACLONE_API_TOKEN', 'INSTACLONE_OIDC_TOKEN', 'AWS_REGION'];
    for (const name of [...cli, ...Object.values(HOOK_SECRET_VARIABLES)]) expect(readme).toContain(`\`${name}\``);
  });

  it('names only variables of the code in its recipes (examples/**/README.md)', () => {
    // Prepare: every variable the code reads, by the names it spells
    const text = ['shared', 'local', 'cli', 'functions', 'infra', 'action', 'templates']
      .map((dir) => readAll(join(ROOT, dir)))
      .join('\n');
    const code = new Set(text.match(/\b[A-Z][A-Z0-9_]+\b/g));
    const recipes = ['pipelines', 'github-runner', 'slack'].map((r) =>
      readFileSync(join(ROOT, 'examples', r, 'README.md'), 'utf8'),
    );
    const named = new Set(
      recipes.flatMap((text) => [...text.matchAll(/`([A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+)`/g)].map((m) => m[1] ?? '')),
    );
    // Assess
    expect([...named].filter((name) => !code.has(name))).toEqual([]);
  });
});

const readAll = (dir: string): string =>
  readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => !path.includes('node_modules') && !path.includes('/dist'))
    .map((path) =>
      statSync(path).isDirectory() ? readAll(path) : /\.(ts|yml)$/.test(path) ? readFileSync(path, 'utf8') : '',
    )
    .join('\n');
