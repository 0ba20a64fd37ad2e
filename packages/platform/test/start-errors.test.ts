import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { DataDirLockedError } from '../src/data-dir-lock.js';
import { checkPortsFree, explainStartError } from '../src/start-errors.js';

it('a port in use fails the start at once, naming the variable that moves it', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    const config = loadConfig({
      ZW_DATA_DIR: '/tmp/unused',
      ZW_PORT: '0',
      ZW_MQTT_PORT: String(port),
    });
    const error = await checkPortsFree(config).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'EADDRINUSE' });
    expect(explainStartError(error, config)).toMatch(
      new RegExp(
        `端口 ${port} 已被占用.* · Port 127\\.0\\.0\\.1:${port} is in use .*set ZW_MQTT_PORT to a free port`,
      ),
    );
    // Free ports pass (0 is never checked: the system picks one).
    await expect(
      checkPortsFree(
        loadConfig({
          ZW_DATA_DIR: '/tmp/unused',
          ZW_PORT: '0',
          ZW_MQTT_PORT: '0',
          ZW_OBJECT_STORAGE_PORT: '0',
        }),
      ),
    ).resolves.toBeUndefined();
  } finally {
    taken.close();
  }
  expect(explainStartError(new DataDirLockedError('in use by pid 1'), loadConfig({}))).toBe(
    'in use by pid 1',
  );
  expect(explainStartError(new Error('other'), loadConfig({}))).toBeUndefined();
});
