import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeFunction } from '#infra/constructs/node-function';
import { startVcSim } from '#local/vcsim/index';

// The one test that runs esbuild (locally, no Docker) to check what the template cannot show: the bundle itself.
const outdir = mkdtempSync(join(tmpdir(), 'instaclone-bundle-'));
const app = new App({ outdir, builtinCloudFormationValidation: false });
const stack = new Stack(app, 'BundleProbe');
new NodeFunction(stack, 'VimProbe', {
  entry: join(import.meta.dirname, 'fixtures', 'bundling', 'vim-handler.ts'),
  serviceName: 'instaclone-vim-probe',
  description: 'vim25 bundling probe',
  environment: {},
  logRetention: RetentionDays.ONE_DAY,
  logLevel: 'INFO',
  bundledFiles: [{ source: 'shared/vsphere/wsdl', target: 'wsdl' }],
});
new NodeFunction(stack, 'Probe', {
  entry: join(import.meta.dirname, 'fixtures', 'bundling', 'handler.ts'),
  serviceName: 'instaclone-probe',
  description: 'bundling probe',
  environment: {},
  logRetention: RetentionDays.ONE_DAY,
  logLevel: 'INFO',
  bundledFiles: [
    { source: 'test/infra/fixtures/vcenter-ca.pem', target: 'vcenter-ca.pem' },
    { source: 'shared/vsphere/wsdl', target: 'wsdl' },
  ],
});
const assembly = app.synth();
const assetDirs = readdirSync(assembly.directory)
  .filter((name) => name.startsWith('asset.'))
  .map((name) => join(assembly.directory, name));
const isVimProbe = (dir: string) => readFileSync(join(dir, 'index.mjs'), 'utf8').includes('DC0_H0_VM0');
const assetDir = assetDirs.find((dir) => !isVimProbe(dir)) ?? '';
const vimAssetDir = assetDirs.find(isVimProbe) ?? '';
const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('NodeFunction bundling', () => {
  it('emits one ESM file that starts with the createRequire banner', () => {
    // Assess
    expect(bundle.startsWith("import { createRequire as __instacloneCreateRequire } from 'node:module';")).toBe(true);
    expect(bundle).toMatch(/export\s*\{/);
  });

  it('minifies but keeps class names, with a source map next to the bundle', () => {
    // Assess
    expect(bundle).toContain('"FixtureNamedError"');
    expect(bundle.split('\n').length).toBeLessThan(10);
    expect(bundle).toContain('sourceMappingURL=index.mjs.map');
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    expect(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8')).not.toContain('"sourcesContent"');
  });

  it('copies the requested files and folders into the package', () => {
    // Assess
    expect(readFileSync(join(assetDir, 'vcenter-ca.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(readdirSync(join(assetDir, 'wsdl'))).toContain('vim25-subset.wsdl');
  });

  it('runs: the bundled handler loads as ESM and answers with the kept name', async () => {
    // Act
    const module = (await import(join(assetDir, 'index.mjs'))) as { handler: () => Promise<string> };

    // Assess
    expect(await module.handler()).toBe('FixtureNamedError');
  });

  it('runs the vim25 client from its bundle, without the HTTP stack and WS-Security soap never uses here', async () => {
    // Prepare
    const vc = await startVcSim({ taskDurationMs: 0 });
    const vim = (await import(join(vimAssetDir, 'index.mjs'))) as {
      handler: (event: { url: string }) => Promise<string | undefined>;
    };
    const probe = readFileSync(join(vimAssetDir, 'index.mjs'), 'utf8');
    try {
      // Act
      const found = await vim.handler({ url: vc.url });
      // Assess
      expect(found).toBe(vc.sim.findVmByName('DC0_H0_VM0')?.moref);
      expect(probe).toContain('is not bundled');
      expect(probe).not.toContain('AxiosError');
      expect(probe).not.toContain('ExclusiveCanonicalization');
    } finally {
      await vc.close();
    }
  });
});
