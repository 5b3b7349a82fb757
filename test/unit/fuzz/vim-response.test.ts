import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVimClient, isVimError } from '#shared/vsphere/index';
import { fuzzSettings } from './fuzz-settings.js';

/**
 * Fuzz: the vim25 client against a broken vCenter. A loopback server answers each SOAP method with its captured
 * fixture, except one method whose answer is mangled (truncated, spliced with junk, replaced, or sent with an odd
 * status). Whatever arrives, a call must settle, and a failure must be one of the client's typed errors, never a
 * TypeError from deep inside the parser and never a hang.
 */
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/soap', name), 'utf8');
const ANSWERS: Record<string, string> = {
  RetrieveServiceContent: fixture('retrieve-service-content.xml'),
  Login: fixture('login.xml'),
  FindByInventoryPath: fixture('find-by-inventory-path.xml'),
};
const FAULTS = ['fault-invalid-login.xml', 'fault-not-authenticated.xml', 'fault-managed-object-not-found.xml'].map(
  fixture,
);

type Mangled = { method: string; status: number; body: string };
let mangled: Mangled | undefined;
let server: Server;
let url: string;

const mangle = (text: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.nat(text.length).map((n) => text.slice(0, n)),
    fc
      .tuple(fc.nat(text.length), fc.nat(40), fc.string({ unit: 'binary', maxLength: 40 }))
      .map(([at, cut, junk]) => text.slice(0, at) + junk + text.slice(at + cut)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom(...FAULTS),
  );

const brokenAnswer: fc.Arbitrary<Mangled> = fc.constantFrom(...Object.keys(ANSWERS)).chain((method) =>
  fc.record({
    method: fc.constant(method),
    status: fc.constantFrom(200, 200, 500, 500, 503, 404),
    body: fc.oneof(mangle(ANSWERS[method] ?? ''), mangle(FAULTS[0] ?? '')),
  }),
);

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = Object.keys(ANSWERS).find((m) => Buffer.concat(chunks).toString().includes(`<${m}`)) ?? '';
      const answer = mangled?.method === method ? mangled : { status: 200, body: ANSWERS[method] ?? '' };
      res.writeHead(answer.status, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sdk`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('Fuzz: vim25 client answers from a broken vCenter', () => {
  it(
    'settles every call and fails only with a typed VimError',
    async () => {
      await fc.assert(
        fc.asyncProperty(brokenAnswer, async (answer) => {
          // Prepare
          mangled = answer;
          const vim = createVimClient({
            url,
            credentials: async () => ({ username: 'fuzz', password: 'fuzz' }),
            requestTimeoutMs: 2_000,
            retry: { attempts: 1, baseDelayMs: 0 },
          });
          // Act
          const outcome = await vim.findByInventoryPath('/DC0/vm/DC0_H0_VM0').then(
            () => undefined,
            (err: unknown) => err,
          );
          // Assess
          if (outcome !== undefined) expect(isVimError(outcome), String((outcome as Error)?.stack)).toBe(true);
        }),
        fuzzSettings(100),
      );
    },
    process.env.FUZZ_RUNS ? 600_000 : 60_000,
  );
});
