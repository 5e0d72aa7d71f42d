import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** Signs an RS256 JWT with `key`, naming `kid` in the header. */
export function signJwt(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(payload));
  const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key);
  return `${head}.${body}.${b64url(signature)}`;
}

/**
 * A local stand-in for the Bot Framework token issuer: serves OpenID metadata and a
 * JWKS with one RSA key, and signs channel tokens (issuer `https://api.botframework.com`,
 * as the real channel's tokens are) for a given app id and service URL.
 */
export class FakeIssuer {
  readonly kid = 'test-key-1';
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server?: Server;
  url = '';

  get metadataUrl(): string {
    return `${this.url}/.well-known/openid-configuration`;
  }

  async start(): Promise<this> {
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    this.server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') {
        res.end(
          JSON.stringify({
            issuer: 'https://api.botframework.com',
            jwks_uri: `${this.url}/keys`,
            id_token_signing_alg_values_supported: ['RS256'],
          }),
        );
      } else if (req.url === '/keys') {
        res.end(
          JSON.stringify({
            keys: [{ ...jwk, kid: this.kid, kty: 'RSA', use: 'sig', endorsements: ['msteams'] }],
          }),
        );
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** A channel token for `appId`; `key` defaults to the issuer's own; `claims` override the payload's. */
  token(
    appId: string,
    serviceUrl: string,
    options: { key?: KeyObject; issuer?: string; claims?: Record<string, unknown> } = {},
  ): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: options.issuer ?? 'https://api.botframework.com',
      aud: appId,
      serviceurl: serviceUrl,
      nbf: now - 60,
      exp: now + 600,
      ...options.claims,
    };
    return signJwt(payload, options.key ?? this.keys.privateKey, this.kid);
  }

  /** A key the issuer does not publish. */
  static strangerKey(): KeyObject {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }));
  }
}
