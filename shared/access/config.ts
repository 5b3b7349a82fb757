import * as z from 'zod';

/**
 * The policy of the functions that decide (API, hooks, pools): `INSTACLONE_POLICY`, the document as JSON text (what a
 * local stack passes after reading the user's YAML or JSON file), or `INSTACLONE_POLICY_FILE`, a JSON file (the CDK
 * app bundles the stage's policy as one). Neither: no policy, everything is allowed (integration namespaces hold).
 */
export const AccessConfigSchema = z.object({
  INSTACLONE_POLICY: z.string().min(1).optional(),
  INSTACLONE_POLICY_FILE: z.string().min(1).optional(),
});
export type AccessConfig = z.infer<typeof AccessConfigSchema>;
