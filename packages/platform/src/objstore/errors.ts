/**
 * S3 errors: a stable `Code` (what every S3 client maps to an error class), an HTTP status,
 * a bilingual message (Chinese first), and the extra elements S3 puts in its XML error body.
 * Messages never carry a secret.
 */
export class S3Error extends Error {
  override name = 'S3Error';

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Extra XML elements of the error body (`Key`, `BucketName`, `Region`, …). */
    readonly details: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

export const accessDenied = (why = '拒绝访问 · Access Denied') =>
  new S3Error('AccessDenied', 403, why);

export const invalidAccessKeyId = () =>
  new S3Error(
    'InvalidAccessKeyId',
    403,
    '访问密钥不存在 · The AWS access key Id you provided does not exist in our records.',
  );

export const signatureDoesNotMatch = (details: Record<string, string> = {}) =>
  new S3Error(
    'SignatureDoesNotMatch',
    403,
    '签名不匹配 · The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    details,
  );

export const authorizationHeaderMalformed = (why: string, details: Record<string, string> = {}) =>
  new S3Error(
    'AuthorizationHeaderMalformed',
    400,
    `Authorization 头格式错误 · The authorization header is malformed; ${why}`,
    details,
  );

export const authorizationQueryMalformed = (why: string) =>
  new S3Error(
    'AuthorizationQueryParametersError',
    400,
    `预签名参数错误 · The presigned URL's query parameters are malformed; ${why}`,
  );

export const invalidRequest = (why: string) => new S3Error('InvalidRequest', 400, why);

export const invalidArgument = (why: string, name?: string, value?: string) =>
  new S3Error(
    'InvalidArgument',
    400,
    why,
    name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' },
  );

export const noSuchBucket = (bucket: string) =>
  new S3Error('NoSuchBucket', 404, '存储桶不存在 · The specified bucket does not exist', {
    BucketName: bucket,
  });

export const noSuchKey = (key: string) =>
  new S3Error('NoSuchKey', 404, '对象不存在 · The specified key does not exist.', { Key: key });

export const noSuchUpload = (uploadId: string) =>
  new S3Error(
    'NoSuchUpload',
    404,
    '分片上传不存在（可能已完成或已取消）· The specified multipart upload does not exist. The upload ID might be invalid, or the upload might have been aborted or completed.',
    { UploadId: uploadId },
  );

export const notImplemented = (what: string) =>
  new S3Error(
    'NotImplemented',
    501,
    `暂不支持 ${what} · ${what} is not implemented by this object store`,
  );

export const malformedXml = () =>
  new S3Error(
    'MalformedXML',
    400,
    'XML 格式错误或不符合架构 · The XML you provided was not well-formed or did not validate against our published schema.',
  );

export const badDigest = (what: string) =>
  new S3Error(
    'BadDigest',
    400,
    `${what} 与收到的内容不符 · The ${what} you specified did not match what we received.`,
  );

export const contentSha256Mismatch = () =>
  new S3Error(
    'XAmzContentSHA256Mismatch',
    400,
    '请求体与 x-amz-content-sha256 不符，未保存任何内容 · The provided x-amz-content-sha256 header does not match what was computed; nothing was stored.',
  );

export const incompleteBody = () =>
  new S3Error(
    'IncompleteBody',
    400,
    '收到的字节数与声明的长度不符 · You did not provide the number of bytes specified by the Content-Length HTTP header.',
  );

export const entityTooLarge = (max: number, proposed: number) =>
  new S3Error(
    'EntityTooLarge',
    400,
    '上传内容超过允许的最大大小 · Your proposed upload exceeds the maximum allowed size.',
    { MaxSizeAllowed: max, ProposedSize: proposed },
  );

export const quotaExceeded = (quotaMb: number) =>
  new S3Error(
    'QuotaExceeded',
    403,
    `存储桶容量已满（套餐上限 ${quotaMb} MB）· The bucket's storage quota of ${quotaMb} MB would be exceeded; nothing was stored.`,
  );

export const missingContentLength = () =>
  new S3Error(
    'MissingContentLength',
    411,
    '缺少 Content-Length · You must provide the Content-Length HTTP header.',
  );

export const internalError = () =>
  new S3Error(
    'InternalError',
    500,
    '内部错误，请重试 · We encountered an internal error. Please try again.',
  );
