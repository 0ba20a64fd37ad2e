import type { Schemas } from '@zhengwu/openapi';
import { type PagePromise, paginate } from '../core/pagination';
import { APIResource, type BodyOf, type QueryOf, unwrap } from '../core/resource';
import type { RequestOptions } from '../core/types';
import { type WaiterOptions, waitFor } from '../core/waiter';

/** A source archive: a gzip-compressed tar of the app folder. */
export type SourceArchive = Blob | ArrayBuffer | Uint8Array | ReadableStream<Uint8Array>;

export interface DeployParams {
  source: SourceArchive;
  /** The parsed `zhengwu.yaml`. */
  manifest: BodyOf<'createRelease'>['manifest'];
  description?: string;
}

/** Immutable, numbered releases of an app. */
export class Releases extends APIResource {
  /**
   * Lists an app's releases, newest first.
   *
   * @example
   * for await (const r of client.apps.releases.list(app.id)) console.log(`v${r.version}`, r.state);
   */
  list(
    appId: string,
    query: QueryOf<'listReleases'> = {},
    options?: RequestOptions,
  ): PagePromise<Schemas['Release']> {
    return paginate(query, (q) =>
      this._client.raw.GET('/v1/apps/{appId}/releases', {
        params: { path: { appId }, query: q },
        ...options,
      }),
    );
  }

  /**
   * Uploads a source archive (tar.gz) for later releases.
   *
   * @example
   * const source = await client.apps.releases.uploadSource(app.id, await fs.readFile('app.tar.gz'));
   */
  uploadSource(
    appId: string,
    archive: SourceArchive,
    options?: RequestOptions,
  ): Promise<Schemas['Source']> {
    return unwrap(
      this._client.raw.POST('/v1/apps/{appId}/sources', {
        params: { path: { appId } },
        body: archive as never,
        ...options,
        headers: { 'content-type': 'application/gzip', ...options?.headers },
      }),
    );
  }

  /**
   * Creates a release from an uploaded source and a manifest; the platform builds and rolls it out.
   *
   * @example
   * const release = await client.apps.releases.create(app.id, { sourceId: source.id, manifest });
   */
  create(
    appId: string,
    body: BodyOf<'createRelease'>,
    options?: RequestOptions,
  ): Promise<Schemas['Release']> {
    return unwrap(
      this._client.raw.POST('/v1/apps/{appId}/releases', {
        params: { path: { appId } },
        body,
        ...options,
      }),
    );
  }

  /**
   * Gets a release.
   *
   * @example
   * const release = await client.apps.releases.retrieve(app.id, 'rel_01hq3x9k2m4n5p6q7r8s');
   */
  retrieve(
    appId: string,
    releaseId: string,
    options?: RequestOptions,
  ): Promise<Schemas['Release']> {
    return unwrap(
      this._client.raw.GET('/v1/apps/{appId}/releases/{releaseId}', {
        params: { path: { appId, releaseId } },
        ...options,
      }),
    );
  }

  /**
   * Polls until the release has rolled out (`succeeded`); `WaiterFailureError` with the
   * release's `failure` problem when it fails.
   *
   * @example
   * await client.apps.releases.waitUntilDone(app.id, release.id);
   */
  waitUntilDone(
    appId: string,
    releaseId: string,
    options?: WaiterOptions,
  ): Promise<Schemas['Release']> {
    return waitFor(
      `release ${releaseId}`,
      () => this.retrieve(appId, releaseId, { signal: options?.signal }),
      (r) => (r.state === 'succeeded' ? 'success' : r.state === 'failed' ? 'failure' : 'retry'),
      options,
      (r) => r.failure?.detail ?? r.failure?.title ?? r.state,
    );
  }
}
