import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';

/** Audience the test platforms are configured with. */
export const AUDIENCE = 'zhengwu-api';

/**
 * A real, minimal OpenID provider on 127.0.0.1: its discovery document and a JWKS with
 * one ES256 key, and a `sign` that issues access tokens as the provider would.
 */
export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  kid: string;
  /** Signs a token; claims default to this issuer, the platform audience and 5 minutes. */
  sign(
    claims: JWTPayload & { email?: string; email_verified?: boolean; name?: string },
    options?: { key?: CryptoKey; kid?: string; alg?: string; expiresIn?: string | number },
  ): Promise<string>;
  /** Requests served, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = 'test-key-1';
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const hits = new Map<string, number>();
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    res.setHeader('content-type', 'application/json');
    if (path === '/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/jwks` }));
    } else if (path === '/jwks') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer: base,
    jwksUrl: `${base}/jwks`,
    kid,
    hits,
    sign: (claims, options = {}) => {
      const jwt = new SignJWT({ ...claims })
        .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid ?? kid, typ: 'JWT' })
        .setIssuedAt();
      if (claims.iss === undefined) jwt.setIssuer(base);
      if (claims.aud === undefined) jwt.setAudience(AUDIENCE);
      if (claims.exp === undefined) jwt.setExpirationTime(options.expiresIn ?? '5m');
      return jwt.sign(options.key ?? privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
