import type { Schemas } from '@zhengwu/openapi';
import { type PagePromise, paginate } from '../core/pagination';
import { APIResource, type BodyOf, type QueryOf, unwrap } from '../core/resource';
import type { RequestOptions } from '../core/types';
import { type WaiterOptions, waitFor, waitGone } from '../core/waiter';
import { Logs } from './logs';
import { type DeployParams, Releases } from './releases';
import { Scaling } from './scaling';
import { Schedules } from './schedules';

/** Apps on the platform runtime, with their releases, scaling and logs. */
export class Apps extends APIResource {
  readonly releases: Releases = new Releases(this._client);
  readonly scaling: Scaling = new Scaling(this._client);
  readonly schedules: Schedules = new Schedules(this._client);
  readonly logs: Logs = new Logs(this._client);

  /**
   * Lists apps.
   *
   * @example
   * for await (const app of client.apps.list({ state: 'running' })) console.log(app.name, app.url);
   */
  list(query: QueryOf<'listApps'> = {}, options?: RequestOptions): PagePromise<Schemas['App']> {
    return paginate(query, (q) =>
      this._client.raw.GET('/v1/apps', { params: { query: q }, ...options }),
    );
  }

  /**
   * Creates an app (no release yet; deploy one with `apps.deploy`).
   *
   * @example
   * const app = await client.apps.create({ name: 'approval' });
   */
  create(body: BodyOf<'createApp'>, options?: RequestOptions): Promise<Schemas['App']> {
    return unwrap(this._client.raw.POST('/v1/apps', { body, ...options }));
  }

  /**
   * Gets an app with its processes and URL.
   *
   * @example
   * const app = await client.apps.retrieve('app_01hq3x9k2m4n5p6q7r8s');
   */
  retrieve(appId: string, options?: RequestOptions): Promise<Schemas['App']> {
    return unwrap(
      this._client.raw.GET('/v1/apps/{appId}', { params: { path: { appId } }, ...options }),
    );
  }

  /**
   * Updates an app's labels or plain config vars (applied at the next release).
   *
   * @example
   * await client.apps.update(app.id, { env: { LOG_LEVEL: 'debug' } });
   */
  update(
    appId: string,
    body: BodyOf<'updateApp'>,
    options?: RequestOptions,
  ): Promise<Schemas['App']> {
    return unwrap(
      this._client.raw.PATCH('/v1/apps/{appId}', { params: { path: { appId } }, body, ...options }),
    );
  }

  /**
   * Starts deleting an app: its replicas stop and its routes go away.
   *
   * @example
   * await client.apps.delete(app.id);
   */
  delete(appId: string, options?: RequestOptions): Promise<Schemas['App']> {
    return unwrap(
      this._client.raw.DELETE('/v1/apps/{appId}', { params: { path: { appId } }, ...options }),
    );
  }

  /**
   * Restarts an app's replicas (one process type, or all), rolling.
   *
   * @example
   * await client.apps.restart(app.id, { process: 'worker' });
   */
  restart(
    appId: string,
    body: BodyOf<'restartApp'> = {},
    options?: RequestOptions,
  ): Promise<Schemas['App']> {
    return unwrap(
      this._client.raw.POST('/v1/apps/{appId}/restart', {
        params: { path: { appId } },
        body,
        ...options,
      }),
    );
  }

  /**
   * Deploys: uploads the source archive, then creates a release that the platform builds,
   * releases and rolls out. Returns the new release; wait with `apps.waitUntilRunning`.
   *
   * @example
   * const tarball = await fs.readFile('approval.tar.gz');
   * const release = await client.apps.deploy(app.id, { source: tarball, manifest });
   * await client.apps.waitUntilRunning(app.id);
   */
  async deploy(
    appId: string,
    params: DeployParams,
    options?: RequestOptions,
  ): Promise<Schemas['Release']> {
    const source = await this.releases.uploadSource(appId, params.source, options);
    return this.releases.create(
      appId,
      { sourceId: source.id, manifest: params.manifest, description: params.description },
      options,
    );
  }

  /**
   * Rolls back to an earlier release (a new release reusing its artifact, Heroku style).
   *
   * @example
   * await client.apps.rollback(app.id, { releaseId: previous.id });
   */
  rollback(
    appId: string,
    body: BodyOf<'rollbackApp'>,
    options?: RequestOptions,
  ): Promise<Schemas['Release']> {
    return unwrap(
      this._client.raw.POST('/v1/apps/{appId}/rollback', {
        params: { path: { appId } },
        body,
        ...options,
      }),
    );
  }

  /**
   * Polls until the app is `running`; `WaiterFailureError` when it becomes `failed`.
   *
   * @example
   * const running = await client.apps.waitUntilRunning(app.id, { maxWaitTime: 600_000 });
   * console.log(running.url);
   */
  waitUntilRunning(appId: string, options?: WaiterOptions): Promise<Schemas['App']> {
    return waitFor(
      `app ${appId} to be running`,
      () => this.retrieve(appId, { signal: options?.signal }),
      (app) =>
        app.state === 'running'
          ? 'success'
          : app.state === 'failed' || app.state === 'deleted'
            ? 'failure'
            : 'retry',
      options,
      (app) => app.state,
    );
  }

  /**
   * Polls until the app is gone (`deleted`, or no longer found once its record expired).
   *
   * @example
   * await client.apps.delete(app.id);
   * await client.apps.waitUntilDeleted(app.id);
   */
  waitUntilDeleted(appId: string, options?: WaiterOptions): Promise<void> {
    return waitGone(
      `app ${appId} to be deleted`,
      () => this.retrieve(appId, { signal: options?.signal }),
      options,
    );
  }
}
