import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/**
 * A fresh self-signed certificate for `--tls`, valid for the bound host plus localhost/127.0.0.1/::1, so clients can
 * verify it by trusting the returned PEM as their CA instead of disabling verification.
 */
export async function selfSignedCertificate(host: string): Promise<{ key: string; cert: string }> {
  const names = new Set(['localhost', '127.0.0.1', '::1', host]);
  const altNames = [...names].map((name) =>
    isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name },
  );
  const notAfterDate = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: host === '0.0.0.0' ? 'localhost' : host }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
