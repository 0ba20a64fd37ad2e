import { WaiterFailureError, type Zhengwu } from '@zhengwu/sdk';

/** What an app needs to reach its database. */
export interface DatabaseAccess {
  instanceId: string;
  bindingId: string;
  uri: string;
}

/**
 * A vendor's own function: give an app a PostgreSQL database on the platform, reusing the
 * instance and the binding if the app already has them, and return the app's credentials.
 */
export async function provisionDatabase(
  client: Zhengwu,
  app: string,
  options: { plan?: string; maxWaitTime?: number } = {},
): Promise<DatabaseAccess> {
  const name = `${app}-db`;
  let instance = (
    await client.instances.list({ serviceId: 'postgresql' }).toArray({ max: 1000 })
  ).find((i) => i.name === name && i.state !== 'deleted');
  instance ??= await client.instances.create({
    name,
    service: 'postgresql',
    plan: options.plan ?? 's',
  });
  try {
    await client.instances.waitUntilReady(instance.id, {
      minDelay: 10,
      maxDelay: 100,
      maxWaitTime: options.maxWaitTime ?? 60_000,
    });
  } catch (error) {
    if (error instanceof WaiterFailureError) {
      throw new Error(`数据库开通失败 · Provisioning ${name} failed: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  const bindingName = `${app}-web`;
  let binding = (
    await client.bindings.list({ instanceId: instance.id }).toArray({ max: 1000 })
  ).find(
    (b) =>
      b.name === bindingName &&
      (b.state === 'ready' || b.state === 'creating' || b.state === 'rotating'),
  );
  binding ??= await client.bindings.create({ instanceId: instance.id, name: bindingName });
  await client.bindings.waitUntilReady(binding.id, { minDelay: 10, maxDelay: 100 });
  const { credentials } = await client.bindings.credentials(binding.id);
  return { instanceId: instance.id, bindingId: binding.id, uri: String(credentials.uri) };
}
