import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

describe('Architecture: pools', () => {
  it('keeps SDKs, middleware and adapters out of shared/pools', () => {
    // Act
    const violations = readdirSync(join(root, 'shared/pools'))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        [...readFileSync(join(root, 'shared/pools', f), 'utf8').matchAll(/from\s+'([^']+)'/g)]
          .map((m) => m[1] ?? '')
          .filter((i) => /^@aws-sdk\/|^@middy\/|^@aws-lambda-powertools\/|adapters\/|vsphere\//.test(i))
          .map((i) => `${f} imports ${i}`),
      );
    // Assess
    expect(violations).toEqual([]);
  });
});
