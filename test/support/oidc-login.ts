import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The authorization-code part of the stand-in issuer: one public client and the person it logs in. */
export type TestLogin = {
  /** The client the issuer knows (a public client: no secret, PKCE). */
  clientId: string;
  /** Where it may send the browser back with a code; anything else is refused without a redirect. */
  redirectUris: string[];
  /** Claims of the person `/authorize` logs in at once (mutable: tests switch people). */
  user: Record<string, unknown>;
  /** Lifetime of the ID tokens `/token` answers, in seconds (default 300; negative: already expired). */
  idTokenSeconds: number;
};

type Grant = {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce?: string;
  user: Record<string, unknown>;
};
type SignIdToken = (claims: Record<string, unknown>, expiresInSeconds: number) => Promise<string>;

/** CORS as an IdP answers a single-page app's token request: any origin, no cookies. */
const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type, accept' };

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...CORS });
  res.end(JSON.stringify(body));
};
const refuse = (res: ServerResponse, error: string, description: string) =>
  sendJson(res, 400, { error, error_description: description });

const readForm = async (req: IncomingMessage): Promise<URLSearchParams> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
};

/**
 * `GET /authorize` and `POST /token` of an OIDC issuer, as strict as a real one where a console could go wrong:
 * `/authorize` wants `response_type=code`, the known client, a registered redirect URI and an S256 challenge, logs in
 * `login.user` at once and redirects back with a one-time code and the `state`; `/token` wants that code with the
 * same client id and redirect URI and the verifier whose S256 hash is the challenge, and answers an ID token for
 * the client (`aud`) carrying the `nonce`. Refusals are OAuth errors (`invalid_request`, `invalid_grant`, …).
 */
export const makeLoginEndpoints = (login: TestLogin, signIdToken: SignIdToken) => {
  const grants = new Map<string, Grant>();

  const authorize = (url: URL, res: ServerResponse) => {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== login.clientId) return refuse(res, 'unauthorized_client', 'unknown client_id');
    if (!login.redirectUris.includes(redirectUri)) return refuse(res, 'invalid_request', 'unregistered redirect_uri');
    if (q.get('response_type') !== 'code') return refuse(res, 'unsupported_response_type', 'only code');
    const challenge = q.get('code_challenge');
    if (!challenge || q.get('code_challenge_method') !== 'S256') {
      return refuse(res, 'invalid_request', 'an S256 code_challenge is required');
    }
    const code = randomBytes(16).toString('base64url');
    const nonce = q.get('nonce') ?? undefined;
    grants.set(code, {
      clientId: login.clientId,
      redirectUri,
      challenge,
      user: { ...login.user },
      ...(nonce && { nonce }),
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    res.writeHead(302, { location: back.href, 'cache-control': 'no-store' });
    res.end();
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'access-control-allow-methods': 'POST' });
      return res.end();
    }
    const form = await readForm(req);
    if (form.get('grant_type') !== 'authorization_code') return refuse(res, 'unsupported_grant_type', 'only code');
    const code = form.get('code') ?? '';
    const grant = grants.get(code);
    grants.delete(code);
    if (!grant) return refuse(res, 'invalid_grant', 'unknown or used code');
    if (form.get('client_id') !== grant.clientId) return refuse(res, 'invalid_client', 'client_id does not match');
    if (form.get('redirect_uri') !== grant.redirectUri) {
      return refuse(res, 'invalid_grant', 'redirect_uri does not match');
    }
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
      return refuse(res, 'invalid_grant', 'code_verifier does not match the code_challenge');
    }
    const claims = { ...grant.user, aud: grant.clientId, ...(grant.nonce && { nonce: grant.nonce }) };
    const idToken = await signIdToken(claims, login.idTokenSeconds);
    sendJson(res, 200, {
      access_token: randomBytes(16).toString('base64url'),
      token_type: 'Bearer',
      expires_in: login.idTokenSeconds,
      id_token: idToken,
    });
  };

  return { authorize, token, cors: CORS };
};
