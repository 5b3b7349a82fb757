import {
  GatewayVpcEndpoint,
  GatewayVpcEndpointAwsService,
  InterfaceVpcEndpoint,
  InterfaceVpcEndpointAwsService,
  type IVpc,
  Peer,
  Port,
  SecurityGroup,
  type SubnetSelection,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.js';

/** The AWS APIs the worker calls from its subnets, reached through interface endpoints in `vpc-endpoints` mode. */
const INTERFACE_ENDPOINT_SERVICES = {
  Sqs: InterfaceVpcEndpointAwsService.SQS,
  EventBridge: InterfaceVpcEndpointAwsService.EVENTBRIDGE,
  SecretsManager: InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
} as const;

const HTTPS = Port.tcp(443);

export type WorkerNetworkProps = {
  readonly network: StageConfig['network'];
  readonly vcenterCidr: string;
  /** vCenter's SDK port (from the URL). */
  readonly vcenterPort: number;
};

/**
 * Where the worker runs: the existing VPC's private subnets (imported from attributes, so synth needs no AWS
 * lookup) and a security group with no default egress. Egress allowed:
 * - vCenter's CIDR on its SDK port: the reason the worker is in the VPC at all;
 * - AWS APIs, by the stage's `awsApiAccess` mode: in `vpc-endpoints` mode only the endpoints created here
 *   (interface endpoints for SQS, EventBridge, Secrets Manager behind their own security group; a gateway endpoint
 *   plus its prefix list for DynamoDB); in `nat` mode 443 to anywhere, because AWS public ranges are not a CIDR list.
 * DNS needs no rule: security groups do not filter traffic to the VPC's Amazon-provided resolver.
 * Interface endpoints use private DNS, so a VPC that already has endpoints for these services must use `nat` mode
 * (or drop its own endpoints): two endpoints cannot own the same private DNS name.
 */
export class WorkerNetwork extends Construct {
  readonly vpc: IVpc;
  readonly subnets: SubnetSelection;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: WorkerNetworkProps) {
    super(scope, id);
    const { network } = props;
    this.vpc = Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: network.vpcId,
      availabilityZones: network.availabilityZones,
      privateSubnetIds: network.privateSubnetIds,
      privateSubnetRouteTableIds: network.privateSubnetRouteTableIds,
    });
    this.subnets = { subnets: this.vpc.privateSubnets };
    this.securityGroup = new SecurityGroup(this, 'WorkerSecurityGroup', {
      vpc: this.vpc,
      description: 'instaclone worker: egress to vCenter and AWS APIs only',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(Peer.ipv4(props.vcenterCidr), Port.tcp(props.vcenterPort), 'vCenter SDK');

    const access = network.awsApiAccess;
    if (access.mode === 'nat') {
      this.securityGroup.addEgressRule(Peer.anyIpv4(), HTTPS, 'AWS APIs through the NAT gateway');
      return;
    }
    this.addInterfaceEndpoints();
    new GatewayVpcEndpoint(this, 'DynamoDbEndpoint', {
      vpc: this.vpc,
      service: GatewayVpcEndpointAwsService.DYNAMODB,
      subnets: [this.subnets],
    });
    this.securityGroup.addEgressRule(Peer.prefixList(access.dynamoDbPrefixListId), HTTPS, 'DynamoDB gateway endpoint');
  }

  private addInterfaceEndpoints(): void {
    const endpointSecurityGroup = new SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'instaclone interface endpoints: HTTPS from the worker only',
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(this.securityGroup, HTTPS, 'instaclone worker');
    this.securityGroup.addEgressRule(endpointSecurityGroup, HTTPS, 'AWS interface endpoints');
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINT_SERVICES)) {
      new InterfaceVpcEndpoint(this, `${name}Endpoint`, {
        vpc: this.vpc,
        service,
        subnets: this.subnets,
        securityGroups: [endpointSecurityGroup],
        open: false,
        privateDnsEnabled: true,
      });
    }
  }
}
