/**
 * Runs in the browser: the same `@zhengwu/sdk` as in Node, talking to the platform on this
 * page's origin. Lists the marketplace and provisions an instance on a click.
 */
import { NotFoundError, Zhengwu } from '@zhengwu/sdk';

const token = new URLSearchParams(location.search).get('token') ?? '';
const client = new Zhengwu({
  baseUrl: location.origin,
  token,
  appInfo: { name: 'browser-example' },
});
const log = (line: string) => {
  document.querySelector('#log')!.textContent += `${line}\n`;
};

async function listServices() {
  const body = document.querySelector<HTMLTableSectionElement>('#services tbody')!;
  for await (const service of client.catalog.services.list()) {
    const row = body.insertRow();
    row.insertCell().textContent = `${service.displayName.zh} · ${service.displayName.en}`;
    row.insertCell().textContent = service.category;
    row.insertCell().textContent = service.plans.map((p) => p.id).join(', ');
  }
}

async function provision() {
  const db = await client.instances.create({
    name: 'browser-db',
    service: 'postgresql',
    plan: 's',
  });
  log(`created ${db.id}: ${db.state}`);
  const ready = await client.instances.waitUntilReady(db.id, {
    minDelay: 20,
    maxDelay: 200,
    onPoll: (s) => log(`… ${(s as { state: string }).state}`),
  });
  log(`ready: ${ready.state}`);
  try {
    await client.instances.retrieve('ins_00000000000000000000');
  } catch (error) {
    log(`typed error: ${error instanceof NotFoundError ? 'NotFoundError' : String(error)}`);
  }
}

document.querySelector('#provision')!.addEventListener('click', () => {
  provision().catch((error: unknown) => log(`error: ${String(error)}`));
});
listServices()
  .then(() => document.body.setAttribute('data-loaded', 'true'))
  .catch((error: unknown) => log(`error: ${String(error)}`));
