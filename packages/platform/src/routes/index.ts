import type { Handlers } from '../http/context';
import { appHandlers } from './apps';
import { auditHandlers } from './audit';
import { bindingHandlers } from './bindings';
import { catalogHandlers } from './catalog';
import { healthHandlers } from './health';
import { instanceHandlers } from './instances';
import { meHandlers } from './me';
import { memberHandlers } from './members';
import { operationHandlers } from './operations';
import { scalingHandlers } from './scaling';
import { tenantHandlers } from './tenants';
import { tokenHandlers } from './tokens';

/** Every implemented operation; the rest answer 503 `unavailable` until their issue lands. */
export const handlers: Handlers = {
  ...auditHandlers,
  ...operationHandlers,
  ...healthHandlers,
  ...catalogHandlers,
  ...meHandlers,
  ...memberHandlers,
  ...tokenHandlers,
  ...tenantHandlers,
  ...instanceHandlers,
  ...bindingHandlers,
  ...appHandlers,
  ...scalingHandlers,
};
