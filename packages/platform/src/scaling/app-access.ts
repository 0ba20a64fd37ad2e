import { type AppView, visibleApp } from '../apps/views';
import type { Principal } from '../auth/principal';
import type { Db } from '../db/database';
import { ProblemError } from '../http/problems';
import { requireWriter } from '../services/instances';

/**
 * The app a scaling call acts on, as the apps module shows it to the caller: 404 without a
 * role on its tenant or an ancestor (another tenant's app does not exist for the caller).
 */
export function readableApp(db: Db, principal: Principal, appId: string): Promise<AppView> {
  return visibleApp(db, principal, appId);
}

/**
 * The app, locked for the rest of the transaction, for a change: the developer or
 * tenant-admin role (403 otherwise), and not being deleted (409 `invalid_state`).
 */
export async function changeableApp(
  trx: Db,
  principal: Principal,
  appId: string,
  what: string,
): Promise<AppView> {
  const app = await visibleApp(trx, principal, appId, true);
  requireWriter(principal, app, what);
  if (app.state === 'deleting' || app.state === 'deleted') {
    throw new ProblemError(
      'invalid_state',
      `应用正在删除或已删除 · App ${appId} is ${app.state}; its scaling can no longer change.`,
    );
  }
  return app;
}
