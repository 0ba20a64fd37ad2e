/**
 * Variables of the platform's own environment a replica inherits. Nothing else is: the
 * platform's environment holds its master key, database URL and admin secrets.
 */
export const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SYSTEMROOT'];

/** What the platform sets for every replica (the app's own env cannot override these). */
export interface ReplicaEnvironment {
  port: number | undefined;
  bindingRoot: string | undefined;
  memoryMb: number | undefined;
  appId: string;
  releaseId: string;
  process: string;
  index: number;
}

/** Share of the memory limit given to the V8 heap; the rest is stack, buffers and code. */
const HEAP_SHARE = 0.75;

export function replicaEnv(
  appEnv: Record<string, string>,
  platform: ReplicaEnvironment,
  parentEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) {
    const value = parentEnv[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, appEnv);
  // Replicas listen on loopback only: the router is the one way in (apps read HOST and PORT).
  env.HOST = '127.0.0.1';
  if (platform.port !== undefined) env.PORT = String(platform.port);
  if (platform.bindingRoot) env.SERVICE_BINDING_ROOT = platform.bindingRoot;
  env.ZHENGWU_APP_ID = platform.appId;
  env.ZHENGWU_RELEASE_ID = platform.releaseId;
  env.ZHENGWU_PROCESS = platform.process;
  env.ZHENGWU_REPLICA = String(platform.index);
  if (platform.memoryMb && !/--max-old-space-size/.test(env.NODE_OPTIONS ?? '')) {
    const heap = Math.max(16, Math.floor(platform.memoryMb * HEAP_SHARE));
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --max-old-space-size=${heap}`.trim();
  }
  return env;
}
