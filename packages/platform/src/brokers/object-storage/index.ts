export { bucketName, ObjectStorageBroker, type ObjectStorageBrokerOptions } from './broker';
