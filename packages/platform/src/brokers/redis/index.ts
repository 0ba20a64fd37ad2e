export { DENIED_COMMANDS, keyPrefix } from './acl-rules';
export {
  RedisBroker,
  type RedisBrokerOptions,
  type RedisGrant,
  type RedisUsage,
} from './redis-broker';
