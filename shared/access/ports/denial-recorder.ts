import type { Action } from '../model/policy.js';
import type { Principal } from '../model/principal.js';

/** A refusal as it is logged and counted: who, what, and the rule and field that refused. */
export type Denial = {
  principal: Principal;
  action: Action;
  /** The refusing rule, null for a missing grant, `reserved-namespace` for an integration's key. */
  rule: string | null;
  field: string;
  /** `quota` for a reached limit (a 429), `policy` for everything else (a 403). */
  kind: 'policy' | 'quota';
};

/** Logs and counts denials (a metric per denial); never throws. */
export interface DenialRecorder {
  denied(denial: Denial): void;
}
