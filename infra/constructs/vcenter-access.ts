import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { ENV } from '#shared/config/env-keys';
import { LAMBDA_TASK_ROOT } from '../paths.js';
import type { StatefulResources } from '../stacks/stateful-stack.js';
import type { StageConfig } from '../stage-config.js';
import type { BundledFile } from './node-function.js';
import type { WorkerNetwork } from './worker-network.js';

/**
 * The vim25 WSDL subset node-soap loads from disk; `defaultWsdlPath()` in shared/vsphere/soap/transport.ts looks
 * for it in a `wsdl/` folder next to the bundle.
 */
export const VIM_WSDL_FOLDER = { source: 'shared/vsphere/wsdl', target: 'wsdl' } as const;
/** File name of the vCenter CA bundle inside the bundle of each function that reaches vCenter. */
export const VCENTER_CA_BUNDLE_NAME = 'vcenter-ca.pem';

/**
 * How a function reaches vCenter: the worker's subnets and security group, the WSDL and CA bundle it needs on disk,
 * the settings that name them, the URL and the credentials secret, and read access to that secret (the worker, the
 * status function, the pool API and, with warm runners, the hooks function share them).
 */
export const vcenterAccess = (config: StageConfig, stateful: StatefulResources, network: WorkerNetwork) => {
  const { vcenter } = config;
  const bundledFiles: BundledFile[] = [
    VIM_WSDL_FOLDER,
    ...(vcenter.caBundleFile ? [{ source: vcenter.caBundleFile, target: VCENTER_CA_BUNDLE_NAME }] : []),
  ];
  const environment = {
    [ENV.VCENTER_URL]: vcenter.url,
    [ENV.VCENTER_SECRET_ARN]: stateful.vcenterSecret.secretArn,
    [ENV.VCENTER_INSECURE]: String(vcenter.insecure),
    [ENV.VCENTER_MAX_CONCURRENCY]: String(vcenter.maxConcurrency),
    ...(vcenter.caBundleFile && { [ENV.VCENTER_CA_FILE]: `${LAMBDA_TASK_ROOT}/${VCENTER_CA_BUNDLE_NAME}` }),
  };
  const vpc = { vpc: network.vpc, subnets: network.subnets, securityGroup: network.securityGroup };
  const grantRead = (grantee: IGrantable) => stateful.vcenterSecret.grantRead(grantee);
  return { vpc, bundledFiles, environment, grantRead };
};
export type VcenterAccess = ReturnType<typeof vcenterAccess>;
