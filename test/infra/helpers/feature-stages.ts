import { WARM_POOLS_CONTEXT } from '#infra/stacks/service-stack';
import type { ServiceFeature } from '#shared/composition/service-functions';
import { devStageWith, type SynthesizedStage, synthStage } from './stage-app.js';

/** Every optional feature on or off: the stage's `features` and warm pools (a context value). */
export const allFeatures = (on: boolean): Record<ServiceFeature, boolean> => ({
  reconciler: on,
  reaper: on,
  callbackNotifier: on,
  hooks: on,
  slackNotifier: on,
  warmPools: on,
});

/** The dev stage with every optional feature on or off, synthesized once for the calling test file. */
export const synthWithFeatures = (on: boolean): SynthesizedStage => {
  const { warmPools, ...features } = allFeatures(on);
  return synthStage(devStageWith({ features }), { context: { [WARM_POOLS_CONTEXT]: warmPools } });
};
