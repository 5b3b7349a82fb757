import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const filesUnder = (dir: string): string[] =>
  !existsSync(join(root, dir))
    ? []
    : readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(dir, f));

/** Runtime imports only: `import type` costs nothing at run time and couples to no SDK behaviour. */
const importsOf = (file: string): string[] =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map(
    (m) => m[1] ?? '',
  );

/** Every feature folder of `shared/` has the same inner layers. */
const FEATURES = ['clones', 'pools', 'runners', 'notifications', 'access'];
const layer = (name: string) => FEATURES.map((f) => `shared/${f}/${name}`);

const forbiddenIn = (dirs: string[], forbidden: RegExp): string[] =>
  dirs.flatMap(filesUnder).flatMap((file) =>
    importsOf(file)
      .filter((i) => forbidden.test(i))
      .map((i) => `${file} imports ${i}`),
  );

describe('Architecture', () => {
  it('keeps SDKs, middleware and adapters out of the domain, ports, events and use cases', () => {
    // Act
    const violations = forbiddenIn(
      [...layer('model'), ...layer('ports'), ...layer('use-cases'), 'shared/events', 'shared/errors'],
      /^@aws-sdk\/|^@middy\/|^@aws-lambda-powertools\/|^soap$|adapters\/|vsphere\//,
    );
    // Assess
    expect(violations).toEqual([]);
  });

  it('lets only adapters and the vSphere client import AWS SDKs, and only the vSphere client import soap', () => {
    // Act
    const violations = [
      ...forbiddenIn(['shared/http', 'shared/config', ...layer('api'), 'functions'], /^@aws-sdk\//),
      ...forbiddenIn([...layer('adapters'), 'shared/events', ...layer('model'), 'local', 'functions', 'cli'], /^soap$/),
    ];
    // Assess
    expect(violations).toEqual([]);
  });

  it('imports zod as a namespace in deployed code, so bundles can leave out what they never use', () => {
    // Act: `import { z } from 'zod'` makes esbuild keep all of zod, locales included (about 360 KiB per bundle).
    const violations = ['shared', 'functions']
      .flatMap(filesUnder)
      .filter((file) => /^import\s+\{[^}]*\bz\b[^}]*\}\s+from\s+'zod'/m.test(readFileSync(join(root, file), 'utf8')));
    // Assess
    expect(violations).toEqual([]);
  });
});
