/** The body every bench submits: the default inventory's first VM with one NIC edit and a guestinfo value. */
export const BENCH_CLONE_REQUEST = {
  source: { path: '/DC0/vm/DC0_H0_VM0' },
  nics: [{ key: 4000, mac: 'auto' }],
  guestinfo: { 'bench.run': '1' },
};

/**
 * The bench body with the source given by moref. A running source takes at most 255 instant clones (its delta-disk
 * chain limit, modelled by the simulator), so runs of hundreds of clones spread them over many sources.
 */
export const cloneRequestFrom = (sourceMoref: string) => ({ ...BENCH_CLONE_REQUEST, source: { moref: sourceMoref } });

/**
 * POSTs one clone request and resolves with the job id. Node's global fetch keeps connections alive per origin,
 * so a closed-loop caller reuses its sockets as a real client would.
 * @throws Error carrying the status and body when the answer is not 202.
 */
export async function submitClone(apiUrl: string, token: string, body: unknown = BENCH_CLONE_REQUEST): Promise<string> {
  const res = await fetch(`${apiUrl}/v1/clones`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`POST /v1/clones answered ${res.status}: ${text.slice(0, 200)}`);
  return (JSON.parse(text) as { jobId: string }).jobId;
}
