import type { Parameters } from 'fast-check';

/**
 * fast-check settings shared by the fuzz tests. In the normal suite: a fixed seed and a bounded number of runs, so a
 * failure reproduces and the suite stays quick. `npm run fuzz` sets FUZZ_RUNS (more runs) and FUZZ_SEED=random (a
 * fresh seed, printed so a failure can be replayed with FUZZ_SEED=<seed>).
 */
export const fuzzSettings = <T>(defaultRuns = 200): Parameters<T> => {
  const runs = Number(process.env.FUZZ_RUNS ?? defaultRuns);
  const raw = process.env.FUZZ_SEED ?? '20261125';
  const seed = raw === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(raw);
  if (process.env.FUZZ_SEED !== undefined) process.stdout.write(`fuzz: seed ${seed}, ${runs} runs\n`);
  return { seed, numRuns: runs };
};
