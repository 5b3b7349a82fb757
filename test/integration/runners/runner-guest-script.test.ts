import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '../../../examples/github-runner/instaclone-runner.sh');

let child: ChildProcess | undefined;
let dirs: string[] = [];
afterEach(() => {
  child?.kill();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/**
 * Starts the script in a stand-in guest: VMware Tools, systemd, the network tools and the runner are stand-ins on
 * PATH that record what they were asked; guestinfo values are files the test writes.
 */
const start = async (values: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'instaclone-guest-'));
  dirs.push(dir);
  const bin = join(dir, 'bin');
  const info = join(dir, 'guestinfo');
  const calls = join(dir, 'calls.log');
  for (const sub of [bin, info, join(dir, 'runner')]) mkdirSync(sub);
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  const record = (name: string) => stub(name, `echo "${name} $*" >> "${calls}"`);
  stub(
    'vmware-rpctool',
    `case "$1" in
  "info-get guestinfo."*) f="${info}/\${1#info-get guestinfo.}"; [ -f "$f" ] && cat "$f" || exit 1 ;;
  "info-set guestinfo."*) echo "vmware-rpctool $1" >> "${calls}" ;;
esac`,
  );
  stub('systemctl', `echo "systemctl $*" >> "${calls}"; [ "$1" = "is-active" ] && exit 0; exit 0`);
  stub('ip', 'echo "default via 10.0.0.1 dev eth0"');
  for (const name of ['networkctl', 'hostnamectl', 'systemd-machine-id-setup']) record(name);
  stub('systemd-cat', 'cat > /dev/null');
  stub('sudo', 'shift 2; exec "$@"');
  writeFileSync(join(dir, 'runner', 'run.sh'), `#!/usr/bin/env bash\necho "run.sh $*" >> "${calls}"\n`);
  chmodSync(join(dir, 'runner', 'run.sh'), 0o755);
  writeFileSync(join(dir, 'machine-id'), 'source-machine-id\n');
  for (const [key, value] of Object.entries(values)) writeFileSync(join(info, key), value);
  child = spawn('bash', [SCRIPT], {
    env: {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      RUNNER_DIR: join(dir, 'runner'),
      RUNNER_USER: 'runner',
      POLL_SECONDS: '0.05',
      MACHINE_ID_FILE: join(dir, 'machine-id'),
    },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
  const log = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []);
  const until = async (what: (lines: string[]) => boolean) => {
    for (let i = 0; i < 200 && !what(log()); i++) await new Promise((r) => setTimeout(r, 25));
    return log();
  };
  return { info, log, until, exited, set: (key: string, value: string) => writeFileSync(join(info, key), value) };
};

describe('examples/github-runner/instaclone-runner.sh in a stand-in guest', () => {
  it('runs a runner cloned for its job at once: re-identifies, names itself, runs the JIT config, powers off', async () => {
    // Prepare
    const vm = await start({
      'instaclone.runner.jitconfig': 'JIT-COLD',
      'instaclone.runner.name': 'instaclone-github-job-1',
    });
    // Act
    const code = await vm.exited;
    // Assess
    expect(code).toBe(0);
    expect(vm.log()).toEqual([
      'vmware-rpctool info-set guestinfo.instaclone.runner.jitconfig ',
      'hostnamectl set-hostname instaclone-github-job-1',
      'systemd-machine-id-setup ',
      'systemctl is-active --quiet systemd-networkd',
      'networkctl renew eth0',
      'run.sh --jitconfig JIT-COLD',
      'systemctl poweroff',
    ]);
  });

  it('re-identifies a warm spare while it waits, then starts the runner the moment the JIT config arrives', async () => {
    // Prepare: a spare of a warm pool, not claimed yet.
    const vm = await start({ 'instaclone.runner.warm': '1' });
    const waiting = await vm.until((lines) => lines.includes('networkctl renew eth0'));
    // Act: a job claims it and the worker sets its guestinfo.
    vm.set('instaclone.runner.name', 'instaclone-spare-0001');
    vm.set('instaclone.runner.jitconfig', 'JIT-WARM');
    const code = await vm.exited;
    // Assess
    expect(waiting).not.toContainEqual(expect.stringMatching(/^run\.sh/));
    expect(code).toBe(0);
    const lines = vm.log();
    expect(lines.filter((l) => l === 'networkctl renew eth0')).toHaveLength(1);
    expect(lines.slice(-3)).toEqual([
      'hostnamectl set-hostname instaclone-spare-0001',
      'run.sh --jitconfig JIT-WARM',
      'systemctl poweroff',
    ]);
  });
});
