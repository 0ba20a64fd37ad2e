export { DEFAULT_RESTART_POLICY, type RestartPolicy } from './backoff';
export { captureLines, LineSplitter } from './lines';
export {
  cursorOf,
  type LogFilter,
  type LogInput,
  type LogQuery,
  type LogRecord,
  LogStore,
  type LogStoreOptions,
} from './logs';
export { MASK, maskSecrets, secretsOf } from './mask';
export type { Replica } from './replica';
export { isAppRequest, matchRoute, type RouteTarget } from './route-match';
export { AppRouter, type AppRouterOptions, type AppTraffic, type Backend } from './router';
export { routingServerFactory } from './server';
export { type LogStreamOptions, type LogStreamQuery, streamLogs } from './sse';
export {
  type ChangeListener,
  ReplicaNotReadyError,
  Supervisor,
  type SupervisorOptions,
} from './supervisor';
export type {
  BindingSpec,
  ExitReason,
  HttpProbe,
  LogEntry,
  LogSource,
  ReplicaExit,
  ReplicaSpec,
  ReplicaState,
} from './types';
