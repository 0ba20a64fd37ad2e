import { describe, expect, it } from 'vitest';
import { S3Error } from '../../src/objstore/errors';
import { authenticate, type SignedRequest } from '../../src/objstore/sigv4/authenticate';
import { headerValues, parseQuery } from '../../src/objstore/sigv4/canonical';
import { AwsChunkedDecoder } from '../../src/objstore/sigv4/chunked';

/**
 * The worked examples of the S3 API reference ("Signature Calculations for the Authorization
 * Header", "Query String Authentication", "Chunked Upload"): key, date, requests and the
 * signatures AWS publishes for them. The verifier must accept each exactly and refuse any
 * change.
 */
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const NOW = new Date('2013-05-24T00:00:00Z');

const options = (now = NOW) => ({
  region: 'us-east-1',
  service: 's3',
  maxSkewMs: 15 * 60 * 1000,
  now,
  lookup: (id: string) =>
    id === ACCESS_KEY ? { secret: SECRET, bucket: 'examplebucket' } : undefined,
});

function request(method: string, url: string, rawHeaders: string[]): SignedRequest {
  const q = url.indexOf('?');
  return {
    method,
    rawPath: q === -1 ? url : url.slice(0, q),
    query: parseQuery(q === -1 ? '' : url.slice(q + 1))!,
    headers: headerValues(rawHeaders),
  };
}

const authorization = (signedHeaders: string, signature: string) =>
  `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signedHeaders},Signature=${signature}`;

const getObject = (
  range = 'bytes=0-9',
  signature = 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
) =>
  request('GET', '/test.txt', [
    'Host',
    'examplebucket.s3.amazonaws.com',
    'Range',
    range,
    'x-amz-content-sha256',
    EMPTY,
    'x-amz-date',
    '20130524T000000Z',
    'Authorization',
    authorization('host;range;x-amz-content-sha256;x-amz-date', signature),
  ]);

const PRESIGNED =
  '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';

function code(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof S3Error) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('SigV4 verification against the AWS reference examples', () => {
  it('accepts GET Object (Authorization header, Range signed)', () => {
    const auth = authenticate(getObject(), options());
    expect(auth.accessKeyId).toBe(ACCESS_KEY);
    expect(auth.key).toEqual({ bucket: 'examplebucket' }); // the secret is not handed on
    expect(auth.payload).toEqual({ kind: 'sha256', hash: EMPTY });
  });

  it('accepts PUT Object (Date and x-amz-date, $ in the key, signed payload hash)', () => {
    const put = request('PUT', '/test%24file.text', [
      'Host',
      'examplebucket.s3.amazonaws.com',
      'Date',
      'Fri, 24 May 2013 00:00:00 GMT',
      'x-amz-date',
      '20130524T000000Z',
      'x-amz-storage-class',
      'REDUCED_REDUNDANCY',
      'x-amz-content-sha256',
      '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
      'Authorization',
      authorization(
        'date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class',
        '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
      ),
    ]);
    expect(authenticate(put, options()).payload).toEqual({
      kind: 'sha256',
      hash: '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
    });
  });

  it('accepts GET Bucket ?lifecycle and list ?max-keys=2&prefix=J (canonical query)', () => {
    const headers = (signature: string) => [
      'Host',
      'examplebucket.s3.amazonaws.com',
      'x-amz-date',
      '20130524T000000Z',
      'x-amz-content-sha256',
      EMPTY,
      'Authorization',
      authorization('host;x-amz-content-sha256;x-amz-date', signature),
    ];
    const lifecycle = request(
      'GET',
      '/?lifecycle',
      headers('fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543'),
    );
    const list = request(
      'GET',
      '/?max-keys=2&prefix=J',
      headers('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7'),
    );
    expect(code(() => authenticate(lifecycle, options()))).toBe('accepted');
    expect(code(() => authenticate(list, options()))).toBe('accepted');
  });

  it('accepts the presigned GET example while it is valid, refuses it after 86400 s', () => {
    const presigned = request('GET', PRESIGNED, ['Host', 'examplebucket.s3.amazonaws.com']);
    expect(authenticate(presigned, options(new Date('2013-05-24T23:59:00Z'))).payload).toEqual({
      kind: 'unsigned',
    });
    expect(code(() => authenticate(presigned, options(new Date('2013-05-25T00:00:01Z'))))).toBe(
      'AccessDenied',
    );
    expect(code(() => authenticate(presigned, options(new Date('2013-05-23T23:00:00Z'))))).toBe(
      'AccessDenied',
    );
  });

  it('verifies every chunk of the chunked PUT example and its final chunk', async () => {
    const put = request('PUT', '/examplebucket/chunkObject.txt', [
      'Host',
      's3.amazonaws.com',
      'x-amz-date',
      '20130524T000000Z',
      'x-amz-storage-class',
      'REDUCED_REDUNDANCY',
      'x-amz-content-sha256',
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'Content-Encoding',
      'aws-chunked',
      'x-amz-decoded-content-length',
      '66560',
      'Content-Length',
      '66824',
      'Authorization',
      authorization(
        'content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class',
        '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
      ),
    ]);
    const auth = authenticate(put, options());
    if (auth.payload.kind !== 'chunked' || !auth.payload.signing)
      throw new Error('expected signed chunks');
    const body = (firstByte: string) =>
      Buffer.concat([
        Buffer.from(
          '10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n',
        ),
        Buffer.from(firstByte),
        Buffer.alloc(65535, 'a'),
        Buffer.from(
          '\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n',
        ),
        Buffer.alloc(1024, 'a'),
        Buffer.from(
          '\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n',
        ),
      ]);
    const decode = (data: Buffer) =>
      new Promise<number>((resolve, reject) => {
        const decoder = new AwsChunkedDecoder(
          auth.payload.kind === 'chunked' ? auth.payload.signing : undefined,
          false,
        );
        let size = 0;
        decoder.on('data', (chunk: Buffer) => (size += chunk.length));
        decoder.on('end', () => resolve(size));
        decoder.on('error', reject);
        // Fed in odd slices: headers and data split anywhere must decode the same.
        for (let at = 0; at < data.length; at += 777) decoder.write(data.subarray(at, at + 777));
        decoder.end();
      });
    expect(body('a').length).toBe(66824);
    expect(await decode(body('a'))).toBe(66560);
    await expect(decode(body('b'))).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('refuses any change to a signed request', () => {
    expect(code(() => authenticate(getObject('bytes=0-10'), options()))).toBe(
      'SignatureDoesNotMatch',
    );
    const otherSignature = 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb42';
    expect(code(() => authenticate(getObject('bytes=0-9', otherSignature), options()))).toBe(
      'SignatureDoesNotMatch',
    );
    const tampered = request('GET', PRESIGNED.replace('test.txt', 'test.tx2'), [
      'Host',
      'examplebucket.s3.amazonaws.com',
    ]);
    expect(code(() => authenticate(tampered, options()))).toBe('SignatureDoesNotMatch');
  });

  it('refuses a wrong region, an unknown key, a skewed clock and unsigned requests', () => {
    expect(code(() => authenticate(getObject(), { ...options(), region: 'cn-gov-1' }))).toBe(
      'AuthorizationHeaderMalformed',
    );
    expect(code(() => authenticate(getObject(), { ...options(), lookup: () => undefined }))).toBe(
      'InvalidAccessKeyId',
    );
    expect(code(() => authenticate(getObject(), options(new Date('2013-05-24T00:15:01Z'))))).toBe(
      'RequestTimeTooSkewed',
    );
    expect(code(() => authenticate(getObject(), options(new Date('2013-05-24T00:14:59Z'))))).toBe(
      'accepted',
    );
    expect(
      code(() =>
        authenticate(
          request('GET', '/test.txt', ['Host', 'examplebucket.s3.amazonaws.com']),
          options(),
        ),
      ),
    ).toBe('AccessDenied');
  });

  it('refuses x-amz-* headers that the signature does not cover', () => {
    const withExtra = getObject();
    withExtra.headers.set('x-amz-meta-injected', 'yes');
    expect(code(() => authenticate(withExtra, options()))).toBe('AccessDenied');
  });
});
