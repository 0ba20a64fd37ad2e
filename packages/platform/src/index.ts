export { ConfigError, loadConfig, type PlatformConfig } from './config';
export { type RunningPlatform, startPlatform } from './platform';
export { AppRouter, routingServerFactory } from './runtime';
