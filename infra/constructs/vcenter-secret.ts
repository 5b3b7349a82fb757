import { RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';

export type VcenterSecretProps = { readonly secretName: string };

/**
 * The vCenter service account as `{ "username", "password" }`. CloudFormation only creates the shell with a
 * random password so no credential ever sits in a template; the operator stores the real one once:
 * `aws secretsmanager put-secret-value --secret-id <name> --secret-string '{"username":"…","password":"…"}'`.
 * Retained: replacing the stack must not drop the credentials.
 */
export class VcenterSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: VcenterSecretProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      secretName: props.secretName,
      description: 'vCenter credentials used by the instaclone worker',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'set-me' }),
        generateStringKey: 'password',
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.secret, {
      rule: 'AwsSolutions-SMG4',
      reason: 'vCenter owns this password (SSO policy); a Lambda rotating it would need vCenter admin rights',
    });
  }
}
