import { request as httpRequest } from 'node:http';
import type { S3ClientType as S3Client } from './sdk';

/**
 * Hand-built requests for what the SDK does not send by itself (signed chunks, bodies that
 * do not match their hash, headers added after signing), signed by the SDK's own SigV4
 * signer so the server is checked against AWS's implementation, not against itself.
 */
interface Signer {
  sign(
    request: object,
    options?: { signingDate?: Date },
  ): Promise<{ headers: Record<string, string> }>;
  sign(stringToSign: string, options?: { signingDate?: Date }): Promise<string>;
}

const signerOf = async (client: S3Client): Promise<Signer> =>
  (client.config as unknown as { signer: () => Promise<Signer> }).signer();

export interface RawRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer;
}

/** Signs the request (its `x-amz-content-sha256` header is used as the payload hash). */
export async function signRequest(
  client: S3Client,
  endpoint: string,
  raw: RawRequest,
  signingDate = new Date(),
): Promise<Record<string, string>> {
  const url = new URL(endpoint);
  const signer = await signerOf(client);
  const signed = await signer.sign(
    {
      method: raw.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: raw.path,
      query: raw.query ?? {},
      headers: { host: url.host, ...raw.headers },
    },
    { signingDate },
  );
  return signed.headers;
}

/** HMAC of `stringToSign` with the client's signing key for `signingDate` (chunk signatures). */
export async function signString(
  client: S3Client,
  stringToSign: string,
  signingDate: Date,
): Promise<string> {
  return (await signerOf(client)).sign(stringToSign, { signingDate });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends a request as given and reads the whole answer. */
export function send(
  endpoint: string,
  raw: RawRequest & { headers: Record<string, string> },
): Promise<RawResponse> {
  const url = new URL(endpoint);
  const query = new URLSearchParams(raw.query ?? {}).toString().replace(/\+/g, '%20');
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: raw.method,
        path: query ? `${raw.path}?${query}` : raw.path,
        headers: raw.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(raw.body);
  });
}

/** The `<Code>` of an S3 XML error body. */
export const errorCode = (body: string): string | undefined =>
  /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
