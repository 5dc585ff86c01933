/**
 * A local stand-in for an Entra ID tenant in tests: an RSA key pair, its JWKS served over HTTP on
 * 127.0.0.1, and access tokens shaped like Entra's v2 tokens (iss, aud, tid, scp, roles), signed
 * with that key. Also a second key that is NOT in the JWKS (for "unknown key id"). `POST /token`
 * with `{"role": "<app role>"}` hands out a token for that role (the add-in's dev-issuer build in
 * the browser test signs in with it; test code only, nothing that ships).
 */
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const TENANT = '11111111-2222-3333-4444-555555555555';
export const OTHER_TENANT = '99999999-8888-7777-6666-555555555555';
export const CLIENT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
/** LAND_SURVEY_UNITS of the tests: the unit ids behind the app roles office, department.industry, street.dawangzhuang. */
export const UNITS = {
  office: { name: '市规划资源局河东分局', role: 'office' },
  industry: { name: '区产业发展促进局', role: 'department' },
  dawangzhuang: { name: '大王庄街道办事处', role: 'street' },
};

export interface LocalIssuer {
  url: string;
  issuer: string;
  jwksUrl: string;
  /** How often the JWKS was fetched. */
  fetches(): number;
  /** A signed token for `roles`; `claims` override or (undefined) remove standard claims. */
  token(roles: string[], claims?: Record<string, unknown>, opts?: { key?: 'known' | 'unknown'; kid?: string }): Promise<string>;
  /** Points the functions' settings at this issuer (LAND_SURVEY_AUTH=entra). */
  configure(units: Record<string, { name: string; role: string }>): void;
  close(): Promise<void>;
}

export async function startIssuer(): Promise<LocalIssuer> {
  const known = await generateKeyPair('RS256', { extractable: true });
  const unknown = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(known.publicKey)), kid: 'test-key-1', use: 'sig', alg: 'RS256' };
  let count = 0;
  let mint: (roles: string[]) => Promise<string> = async () => '';
  const server = http.createServer((req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type' };
    if (req.url === '/token' && req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    if (req.url === '/token' && req.method === 'POST') {
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', async () => {
        const role = String((JSON.parse(text || '{}') as { role?: unknown }).role ?? '');
        const token = await mint(role ? [role] : []);
        res.writeHead(200, { ...cors, 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
      });
      return;
    }
    if (req.url?.startsWith('/keys')) {
      count++;
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ keys: [jwk] }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${url}/${TENANT}/v2.0`;
  const self: LocalIssuer = {
    url,
    issuer,
    jwksUrl: `${url}/keys`,
    fetches: () => count,
    async token(roles, claims = {}, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = { iss: issuer, aud: CLIENT_ID, tid: TENANT, scp: 'access_as_user', roles, iat: now, nbf: now, exp: now + 3600, oid: 'user-1', preferred_username: 'user@hedong.example', ver: '2.0' };
      for (const [k, v] of Object.entries(claims)) {
        if (v === undefined) delete payload[k];
        else payload[k] = v;
      }
      const key = opts.key === 'unknown' ? unknown.privateKey : known.privateKey;
      return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: opts.kid ?? (opts.key === 'unknown' ? 'test-key-2' : 'test-key-1') }).sign(key);
    },
    configure(units) {
      process.env.LAND_SURVEY_AUTH = 'entra';
      process.env.LAND_SURVEY_ENTRA_TENANT_ID = TENANT;
      process.env.LAND_SURVEY_ENTRA_CLIENT_ID = CLIENT_ID;
      process.env.LAND_SURVEY_ENTRA_ISSUER = issuer;
      process.env.LAND_SURVEY_ENTRA_JWKS_URL = `${url}/keys`;
      process.env.LAND_SURVEY_UNITS = JSON.stringify(units);
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
  mint = (roles) => self.token(roles);
  return self;
}

/** base64url of a JSON value (to hand-craft unsigned tokens). */
export const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
