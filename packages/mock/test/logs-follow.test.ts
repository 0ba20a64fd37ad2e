import { describe, expect, it } from 'vitest';
import { tarGz } from './archive';
import { brisk, setup } from './helpers';

const { client, platform } = setup({ heartbeatIntervalMs: 20 });

describe('following an app’s logs (follow=true)', () => {
  it('sends new lines as they are appended, heartbeats, and stops when the client aborts', async () => {
    const app = await client.apps.create({ name: 'hotline' });
    await client.apps.deploy(app.id, {
      source: tarGz({ 'a.txt': 'a' }),
      manifest: { processes: { web: { command: 'x' } } },
    });
    await client.apps.waitUntilRunning(app.id, brisk);

    const controller = new AbortController();
    const response = await fetch(`${platform.baseUrl}/v1/apps/${app.id}/logs?follow=true&tail=0`, {
      headers: { authorization: `Bearer ${platform.token}` },
      signal: controller.signal,
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}`);
        text += value;
      }
    };
    await readUntil(/event: heartbeat\ndata: \{\}/);
    expect(text).not.toMatch(/event: log/);
    await client.apps.scaling.scale(app.id, { processes: [{ type: 'web', replicas: 3 }] });
    await readUntil(/Scaled web from 1 to 3 replicas/);
    expect(text).not.toMatch(/event: end/);
    controller.abort();
    // The stream ends (or errors, depending on the fetch in use).
    expect(await reader.read().catch(() => ({ done: true }))).toMatchObject({ done: true });
    // The stream let go of its subscription.
    await new Promise((r) => setTimeout(r, 30));
    expect([...(platformSubscribers(app.id) ?? [])]).toHaveLength(0);
  });

  it('yields entries through the SDK until the caller aborts', async () => {
    const app = await client.apps.create({ name: 'hotline' });
    await client.apps.deploy(app.id, { source: tarGz({ 'a.txt': 'a' }), manifest: {} });
    await client.apps.waitUntilRunning(app.id, brisk);
    const controller = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const entry of client.apps.logs.stream(
        app.id,
        { follow: true },
        { signal: controller.signal },
      )) {
        seen.push(entry.message);
        if (entry.message.includes('to 2 replicas')) controller.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 20));
    await client.apps.scaling.scale(app.id, { processes: [{ type: 'web', replicas: 2 }] });
    await expect(reading).rejects.toMatchObject({ name: 'APIUserAbortError' });
    expect(seen.at(-1)).toBe('Scaled web from 1 to 2 replicas');
    expect(seen.length).toBeGreaterThan(3);
  });
});

import { runtimeOf } from '../src/platform';

const platformSubscribers = (appId: string) => runtimeOf(platform).logSubscribers.get(appId);
