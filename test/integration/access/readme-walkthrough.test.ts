import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'instaclone-readme-'));
const env = {
  ...process.env,
  INSTACLONE_DATA_DIR: join(dir, '.instaclone'),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
let start: ChildProcess | undefined;

afterAll(() => {
  start?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** The README's section, and its fenced blocks of one language, in order. */
const section = (() => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const from = readme.indexOf('### From a fresh clone to a policy with two principals');
  return readme.slice(from, readme.indexOf('\n### ', from + 1));
})();
const blocks = (lang: string) =>
  [...section.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] ?? '');
/** Shell commands of the sh blocks: continuation lines joined, comments dropped. */
const commands = blocks('sh')
  .join('\n')
  .replace(/\\\n\s*/g, '')
  .split('\n')
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter((line) => line && !line.startsWith('#'));

/** Starts `npm start` as the README says, on a free port, and resolves with its API URL from the banner. */
const npmStart = (command: string) =>
  new Promise<string>((resolve, reject) => {
    const [assignment = ''] = command.split(' ');
    start = spawn('npm', ['start'], {
      cwd: root,
      env: { ...env, [assignment.split('=')[0] ?? '']: join(dir, assignment.split('=')[1] ?? ''), PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /API\s+(http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(output)?.[1];
      if (url) resolve(url);
    };
    start.stdout?.on('data', onData);
    start.stderr?.on('data', onData);
    start.on('exit', (code) => reject(new Error(`npm start exited (${code}): ${output}`)));
  });

describe('README: from a fresh clone to a policy with two principals', () => {
  it('lets Alice clone and refuses Bob, naming the missing grant, following the README as written', async () => {
    // Prepare: the README's token commands (the data folder and files in a scratch directory) and its policy.
    for (const command of commands.filter((c) => c.startsWith('npm run -s tokens'))) {
      const [run, file = ''] = command.split(' > ');
      writeFileSync(join(dir, file), execFileSync('bash', ['-c', run ?? ''], { cwd: root, env }));
    }
    const [policy = ''] = blocks('yaml');
    writeFileSync(join(dir, 'policy.yaml'), policy);
    const url = await npmStart(commands.find((c) => c.endsWith('npm start')) ?? '');
    // Act: the README's two curls, against this stack.
    const [alice, bob] = commands
      .filter((c) => c.startsWith('curl'))
      .map((c) => execFileSync('bash', ['-c', c.replace('http://127.0.0.1:8080', url)], { cwd: dir, env }).toString());
    // Assess
    expect(JSON.parse(alice ?? '')).toMatchObject({ status: 'QUEUED', requestedBy: { id: 'token:alice' } });
    expect(JSON.parse(bob ?? '')).toEqual({
      error: {
        code: 'ACCESS_DENIED',
        message: 'Access denied: no rule grants "clone" to token:bob',
        details: [{ field: 'action', message: 'no rule grants "clone" to token:bob' }],
        rule: null,
      },
    });
  }, 120_000);
});
