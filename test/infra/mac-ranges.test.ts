import { describe, expect, it } from 'vitest';
import { WARM_POOLS_CONTEXT } from '#infra/stacks/service-stack';
import { StageConfigError } from '#infra/stage-config';
import { ApiConfigSchema } from '#shared/config/service-config';
import { HooksConfigSchema } from '#shared/hooks/config';
import { PoolApiConfigSchema, PoolScalerConfigSchema } from '#shared/pools/config';
import { allFeatures } from './helpers/feature-stages.js';
import { devStageWith, resourcesOfType, synthStage } from './helpers/stage-app.js';

const RANGES = [
  { name: 'ci', first: '00:50:56:10:00:00', last: '00:50:56:10:00:FF' },
  { name: 'lab', first: '00:50:56:20:00:00', last: '00:50:56:20:0f:ff' },
];

const stageError = (macRanges: unknown): string => {
  try {
    devStageWith({ macRanges });
  } catch (err) {
    if (err instanceof StageConfigError) return err.message;
    throw err;
  }
  return '';
};

describe('Stage config: managed MAC ranges', () => {
  it('has none by default and lower-cases the MACs of the ranges given', () => {
    // Act
    const none = devStageWith();
    const some = devStageWith({ macRanges: RANGES });
    // Assess
    expect(none.macRanges).toEqual([]);
    expect(some.macRanges[0]).toEqual({ name: 'ci', first: '00:50:56:10:00:00', last: '00:50:56:10:00:ff' });
  });

  it.each([
    [
      'a range outside VMware’s manual range',
      [{ name: 'x', first: '00:50:56:40:00:00', last: '00:50:56:40:00:01' }],
      'macRanges.0.first',
    ],
    [
      'a range that ends before it starts',
      [{ name: 'x', first: '00:50:56:10:00:02', last: '00:50:56:10:00:01' }],
      'macRanges.0.last',
    ],
    [
      'overlapping ranges',
      [RANGES[0], { name: 'y', first: '00:50:56:10:00:80', last: '00:50:56:10:01:00' }],
      'macRanges.1: overlaps range "ci"',
    ],
    ['a repeated name', [RANGES[0], { ...RANGES[1], name: 'ci' }], 'macRanges.1: repeats the name "ci"'],
    ['a name that is not one', [{ ...RANGES[0], name: 'CI lab' }], 'macRanges.0.name'],
  ])('refuses %s, naming the key', (_label, macRanges, key) => {
    // Act
    const message = stageError(macRanges);
    // Assess
    expect(message).toContain(`- ${key}`);
  });
});

describe('Service stack: managed MAC ranges', () => {
  const { warmPools, ...features } = allFeatures(true);
  const config = devStageWith({ features, macRanges: RANGES });
  const { serviceTemplate } = synthStage(config, { context: { [WARM_POOLS_CONTEXT]: warmPools } });
  const functions = resourcesOfType(serviceTemplate, 'AWS::Lambda::Function');
  const envOf = (prefix: string) => {
    const found = functions.find(([id]) => id.startsWith(prefix))?.[1] ?? {};
    return (found['Environment'] as { Variables: Record<string, string> }).Variables;
  };

  it.each([
    ['CloneApiHandler', ApiConfigSchema.shape.INSTACLONE_MAC_RANGES],
    ['HooksHandler', HooksConfigSchema.shape.INSTACLONE_MAC_RANGES],
    ['WarmPoolsApi', PoolApiConfigSchema.shape.INSTACLONE_MAC_RANGES],
    ['WarmPoolsScaler', PoolScalerConfigSchema.shape.INSTACLONE_MAC_RANGES],
  ] as const)('gives %s the ranges, which its own schema reads back', (prefix, setting) => {
    // Act
    const parsed = setting.safeParse(envOf(prefix)['INSTACLONE_MAC_RANGES']);
    // Assess
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(config.macRanges);
  });

  it('gives the worker none: it only frees MACs, whatever range they came from', () => {
    // Assess
    expect(envOf('CloneWorker')).not.toHaveProperty('INSTACLONE_MAC_RANGES');
  });
});
