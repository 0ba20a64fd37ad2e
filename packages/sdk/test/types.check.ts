import type { Schemas, Zhengwu } from '../src/index';

/**
 * Compile-time checks: `pnpm typecheck` fails if the SDK's types get looser (an unused
 * `@ts-expect-error` is an error) or stricter than the contract. Compiled by `tsc`, never run.
 */
export async function typeChecks(client: Zhengwu) {
  const ins: Schemas['Instance'] = await client.instances.create({
    name: 'db',
    service: 'postgresql',
    plan: 's',
  });
  ins.state satisfies
    | 'provisioning'
    | 'ready'
    | 'updating'
    | 'deprovisioning'
    | 'deleted'
    | 'failed';
  // @ts-expect-error `service` and `plan` are required
  await client.instances.create({ name: 'db' });
  // @ts-expect-error unknown fields are rejected by the contract
  await client.instances.create({ name: 'db', service: 'postgresql', plan: 's', size: 'xl' });
  // @ts-expect-error an id is a string
  await client.instances.retrieve(42);

  const { data } = await client.raw.GET('/v1/instances/{instanceId}', {
    params: { path: { instanceId: 'ins_x' } },
  });
  data.id satisfies string;
  // @ts-expect-error path parameters are required for a templated path
  await client.raw.GET('/v1/instances/{instanceId}');
  // @ts-expect-error not a path of the contract
  await client.raw.GET('/v1/nothing-here');
  // @ts-expect-error the contract has no PUT on this path
  await client.raw.PUT('/v1/instances/{instanceId}', { params: { path: { instanceId: 'x' } } });
  await client.raw.POST('/v1/instances', {
    body: { name: 'db', service: 'postgresql', plan: 's' },
  });
  // @ts-expect-error a body is required for createInstance
  await client.raw.POST('/v1/instances');

  for await (const item of client.instances.list({ limit: 10 })) item.id satisfies string;
  // @ts-expect-error limit is a number
  client.instances.list({ limit: '10' });

  const schedule = await client.apps.schedules.retrieve('app_x', 'sch_x');
  if (schedule.kind === 'recurring') schedule.start satisfies string;
  else schedule.startAt satisfies string;
}
