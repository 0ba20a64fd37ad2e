import type { Schemas } from '@zhengwu/openapi';
import { APIResource, type QueryOf } from '../core/resource';
import { readEvents } from '../core/sse';
import type { RequestOptions } from '../core/types';

/** App logs: build, release, router and replica output, streamed as server-sent events. */
export class Logs extends APIResource {
  /**
   * Streams log entries. With `follow: true` it keeps going until you `break` or abort.
   *
   * @example
   * const ac = new AbortController();
   * for await (const entry of client.apps.logs.stream(app.id, { follow: true, tail: 50 }, { signal: ac.signal })) {
   *   console.log(entry.time, entry.process, entry.message);
   * }
   */
  async *stream(
    appId: string,
    query: QueryOf<'streamAppLogs'> = {},
    options?: RequestOptions,
  ): AsyncGenerator<Schemas['LogEntry']> {
    const { response } = await this._client.request('GET', '/v1/apps/{appId}/logs', {
      params: { path: { appId }, query },
      parseAs: 'stream',
      // A followed stream is open-ended: the timeout applies to the first bytes only.
      ...options,
      headers: { accept: 'text/event-stream', ...options?.headers },
    });
    for await (const event of readEvents(response, options?.signal)) {
      if (event.event === 'log') yield JSON.parse(event.data) as Schemas['LogEntry'];
    }
  }
}
