/**
 * Child process of hostile-answers.test.ts: reads one VM through the vim25 client (run it with a limited heap,
 * `node --max-old-space-size=256 --import tsx heap-limited-read.ts <sdk url>`) and prints one JSON line: the
 * outcome, the error's code/kind/message when it failed, and the largest heap seen afterwards.
 */
import { createVimClient } from '#shared/vsphere/index';

const vim = createVimClient({
  url: process.argv[2] ?? '',
  credentials: async () => ({ username: 'u', password: 'p' }),
});
const outcome = await vim.getVm({ type: 'VirtualMachine', value: 'vm-1001' }).then(
  (facts) => ({ outcome: 'read', extraConfigKeys: Object.keys(facts.extraConfig).length }),
  (err: { code?: string; kind?: string; message?: string }) => ({
    outcome: 'failed',
    code: err.code,
    kind: err.kind,
    message: err.message,
  }),
);
const heapMB = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
process.stdout.write(`${JSON.stringify({ ...outcome, heapMB })}\n`);
await vim.logout();
