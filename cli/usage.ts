/** What `instaclone --help` prints. */
export const USAGE = `Usage: instaclone <command> [options]

Commands:
  clone --source <path|moref> [options]   ask for an instant clone (202: queued)
  get <jobId>                             show a job
  list [--status S]… [--label k=v]… [--limit N] [--all]   any of the statuses, all of the labels
  destroy <jobId>                         power off and destroy the clone
  wait <jobId…> [--for finished|destroyed]
  claim <pool> [--claimed-by WHO]         take a clone of a warm pool (a ready spare, else a fresh one)
  release <pool> <jobId>                  give a claimed clone back (it is destroyed)

Clone options:
  --name N  --folder F  --pool P  --datastore D  --nic <key|label>[=auto|MAC] (repeat)
  --guestinfo k=v  --extra-config k=v  --label k=v (repeat)  --bios-uuid U  --ttl MINUTES
  --callback-url URL  --count N  --wait-for task|ip  --file request.json  --idempotency-key K

Common options:
  --wait             follow the job(s) until done (clone, claim, destroy, release); exit 1 if a clone failed
  --timeout SECONDS  how long --wait / wait follows (default 600)
  --json             machine-readable output on stdout
  --api-url URL      or INSTACLONE_API_URL (e.g. http://127.0.0.1:8080)
  --token T          or INSTACLONE_API_TOKEN (a bearer token: npm start's or a named one)
  --oidc-token-file F  or INSTACLONE_OIDC_TOKEN: your CI's OIDC token (GitHub Actions, GitLab id_tokens,
                     Buildkite, CircleCI, …), checked against the policy's issuers; the file is re-read per request
  --sigv4            sign with AWS SigV4 (deployed API); --region or AWS_REGION, else from the URL

Exit codes: 0 ok, 1 a clone failed, 2 usage, 3 API error, 4 timed out.`;
