import { ZhengwuCore } from './core/client';
import { Apps } from './resources/apps';
import { AuditEvents } from './resources/audit-events';
import { Bindings } from './resources/bindings';
import { Catalog } from './resources/catalog';
import { Health } from './resources/health';
import { Instances } from './resources/instances';
import { Operations } from './resources/operations';
import { Tenants } from './resources/tenants';
import { Tokens } from './resources/tokens';

/**
 * The Zhengwu platform client: every resource of the v1 API.
 *
 * Bundle-conscious code can import `ZhengwuCore` and only the resource classes it needs
 * (`new Instances(core)`); unused resources then drop out of the bundle.
 *
 * @example
 * import { Zhengwu } from '@zhengwu/sdk';
 *
 * const client = new Zhengwu(); // ZHENGWU_URL and ZHENGWU_TOKEN from the environment
 * const db = await client.instances.create({ name: 'approval-db', service: 'postgresql', plan: 's' });
 * await client.instances.waitUntilReady(db.id);
 */
export class Zhengwu extends ZhengwuCore {
  readonly catalog: Catalog = new Catalog(this);
  readonly tenants: Tenants = new Tenants(this);
  readonly tokens: Tokens = new Tokens(this);
  readonly instances: Instances = new Instances(this);
  readonly bindings: Bindings = new Bindings(this);
  readonly operations: Operations = new Operations(this);
  readonly apps: Apps = new Apps(this);
  readonly auditEvents: AuditEvents = new AuditEvents(this);
  readonly health: Health = new Health(this);
}
