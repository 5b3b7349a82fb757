import type { z } from 'zod';
import type { AccessConfigSchema } from '../access/config.js';
import type {
  ApiConfigSchema,
  ReaperConfigSchema,
  ReconcilerConfigSchema,
  WorkerConfigSchema,
} from '../config/service-config.js';
import type { ConsoleConfigSchema } from '../console/config.js';
import type { HooksConfigSchema } from '../hooks/config.js';
import type { CallbackNotifierConfigSchema, SlackNotifierConfigSchema } from '../notifications/config.js';
import type { PoolApiConfigSchema, PoolScalerConfigSchema } from '../pools/config.js';
import type { RunnerWorkerConfigSchema } from '../runners/config.js';
import type { StatusConfigSchema } from '../status/config.js';

type FunctionConfig =
  | z.infer<typeof AccessConfigSchema>
  | z.infer<typeof ApiConfigSchema>
  | z.infer<typeof WorkerConfigSchema>
  | z.infer<typeof ReconcilerConfigSchema>
  | z.infer<typeof ReaperConfigSchema>
  | z.infer<typeof HooksConfigSchema>
  | z.infer<typeof CallbackNotifierConfigSchema>
  | z.infer<typeof SlackNotifierConfigSchema>
  | z.infer<typeof PoolApiConfigSchema>
  | z.infer<typeof PoolScalerConfigSchema>
  | z.infer<typeof RunnerWorkerConfigSchema>
  | z.infer<typeof ConsoleConfigSchema>
  | z.infer<typeof StatusConfigSchema>;
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/**
 * Any function's parsed configuration (each key where that function has it): what the adapters factory reads.
 * A function's own schema (its `configSchema`) makes sure what its deps need is there.
 */
export type ServiceConfig = Partial<Intersection<FunctionConfig>>;
