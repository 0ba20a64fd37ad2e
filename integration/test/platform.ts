import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type RunningPlatform, startPlatform } from '@zhengwu/platform';
import { Zhengwu } from '@zhengwu/sdk';

/** A real platform with its own empty state, and an SDK client holding its admin token. */
export async function startPlatformForSdk(): Promise<{
  platform: RunningPlatform;
  admin: Zhengwu;
  client(token: string, options?: ConstructorParameters<typeof Zhengwu>[0]): Zhengwu;
  close(): Promise<void>;
}> {
  const dataDir = await mkdtemp(join(tmpdir(), 'zw-sdk-it-'));
  const platform = await startPlatform(
    loadConfig({
      ZW_PORT: '0',
      ZW_DATA_DIR: dataDir,
      ZW_LOG_LEVEL: 'silent',
      ZW_VALIDATE_RESPONSES: '1',
      // The embedded engines on free ports: test files run in parallel.
      ZW_MQTT_PORT: '0',
      ZW_OBJECT_STORAGE_PORT: '0',
    }),
  );
  const client = (token: string, options: ConstructorParameters<typeof Zhengwu>[0] = {}) =>
    new Zhengwu({ baseUrl: platform.url, token, ...options });
  return {
    platform,
    admin: client(platform.adminToken!),
    client,
    async close() {
      await platform.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
