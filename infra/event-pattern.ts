import type { EventPattern as CdkEventPattern } from 'aws-cdk-lib/aws-events';
import type { EventPattern } from '#shared/events/event-pattern';

/**
 * Converts a shared rule pattern (EventBridge wire names, as the local bus reads them) into CDK's `EventPattern`,
 * which spells `detail-type` as `detailType` and renders it back to the wire name. Other fields pass unchanged.
 */
export function toCdkEventPattern(pattern: EventPattern): CdkEventPattern {
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, ...(detailType !== undefined && { detailType }) } as CdkEventPattern;
}
