import { accessDenied, notImplemented, S3Error } from './errors';
import {
  deleteObjects,
  getBucketLocation,
  headBucket,
  listObjectsV1,
  listObjectsV2,
} from './handlers/buckets';
import type { Handler } from './handlers/context';
import {
  abortUpload,
  completeUpload,
  createUpload,
  listParts,
  uploadPart,
} from './handlers/multipart';
import { copyObject, deleteObject, getObject, putObject } from './handlers/objects';
import type { S3Request } from './request';

/** S3 subresources this store does not offer: answered 501, never silently ignored. */
const UNSUPPORTED = [
  'acl',
  'tagging',
  'policy',
  'policyStatus',
  'cors',
  'lifecycle',
  'versioning',
  'versions',
  'website',
  'logging',
  'notification',
  'replication',
  'encryption',
  'object-lock',
  'retention',
  'legal-hold',
  'torrent',
  'restore',
  'select',
  'accelerate',
  'requestPayment',
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'ownershipControls',
  'publicAccessBlock',
  'attributes',
  'renameObject',
];

const methodNotAllowed = () =>
  new S3Error(
    'MethodNotAllowed',
    405,
    '该资源不支持此方法 · The specified method is not allowed against this resource.',
  );

/** Buckets belong to the platform: clients cannot create or delete them. */
const platformManaged = () =>
  accessDenied(
    '存储桶由平台创建和删除 · Buckets are created and deleted by the platform, not through the S3 API',
  );

/** The operation of a bucket- or object-level request. */
export function route(request: S3Request): Handler {
  const unsupported = UNSUPPORTED.find((name) => request.has(name));
  if (unsupported) throw notImplemented(`the ?${unsupported} subresource`);
  const { method } = request;
  if (request.key === undefined) {
    switch (method) {
      case 'GET':
        if (request.has('location')) return getBucketLocation;
        if (request.has('uploads')) throw notImplemented('ListMultipartUploads');
        return request.param('list-type') === '2' ? listObjectsV2 : listObjectsV1;
      case 'HEAD':
        return headBucket;
      case 'POST':
        if (request.has('delete')) return deleteObjects;
        throw notImplemented('browser POST uploads');
      case 'PUT':
      case 'DELETE':
        throw platformManaged();
      default:
        throw methodNotAllowed();
    }
  }
  const upload = request.has('uploadId');
  switch (method) {
    case 'GET':
      return upload ? listParts : getObject;
    case 'HEAD':
      return getObject;
    case 'PUT':
      if (request.has('partNumber') || upload) return uploadPart;
      return request.header('x-amz-copy-source') !== undefined ? copyObject : putObject;
    case 'DELETE':
      return upload ? abortUpload : deleteObject;
    case 'POST':
      if (request.has('uploads')) return createUpload;
      if (upload) return completeUpload;
      throw methodNotAllowed();
    default:
      throw methodNotAllowed();
  }
}
