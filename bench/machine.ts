import { cpus, loadavg, platform, release, totalmem } from 'node:os';

/**
 * The machine a figure was measured on; every benchmark prints it as its first JSON line. The 1-minute load
 * average says how busy the machine already was: on shared machines a high one explains a slow figure.
 */
export const machine = () => ({
  kind: 'machine',
  node: process.version,
  platform: `${platform()} ${release()}`,
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
});

/** Prints one JSON line. */
export const emit = (figure: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
};
