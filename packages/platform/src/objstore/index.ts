export { type AccessKey, AccessKeys, type AccessKeyWithSecret } from './keys';
export { S3Server, type S3ServerOptions } from './server';
export { BUCKET_NAME, ObjectStore, type ObjectStoreOptions } from './store/object-store';
