/**
 * App logs: lines appended by the simulated build, release, router and replicas, and the
 * `text/event-stream` answer of `streamAppLogs` (backlog, then live lines and heartbeats
 * with `follow=true`, or an `end` event with `follow=false`).
 */

import { ProblemError } from './problems';
import type { Runtime } from './runtime';
import type { LogRecord, Model } from './state';
import { nowIsoMillis } from './time';

type LogEntry = Model['LogEntry'];

export function appendLog(
  rt: Runtime,
  appId: string,
  line: Omit<LogEntry, 'time' | 'appId' | 'replica' | 'stream'> &
    Partial<Pick<LogEntry, 'replica' | 'stream'>>,
): void {
  const record: LogRecord = {
    seq: rt.state.nextLogSeq++,
    entry: {
      time: nowIsoMillis(),
      appId,
      releaseId: line.releaseId,
      process: line.process,
      replica: line.replica ?? null,
      source: line.source,
      stream: line.stream ?? 'system',
      message: line.message,
    },
  };
  const lines = rt.state.logs.get(appId) ?? [];
  rt.state.logs.set(appId, lines);
  lines.push(record);
  for (const notify of rt.logSubscribers.get(appId) ?? []) notify(record);
}

export interface LogQuery {
  follow?: boolean;
  tail?: number;
  since?: string;
  process?: string;
  source?: string;
}

const encoder = new TextEncoder();
const event = (name: string, data: string, id?: string) =>
  encoder.encode(`event: ${name}\n${id ? `id: ${id}\n` : ''}data: ${data}\n\n`);

/** The SSE response of `streamAppLogs`. */
export function streamLogs(
  rt: Runtime,
  appId: string,
  query: LogQuery,
  lastEventId: string | null,
  signal: AbortSignal,
  headers: Record<string, string>,
): Response {
  let after = 0;
  if (lastEventId !== null) {
    const match = /^c_(\d+)$/.exec(lastEventId);
    if (!match) {
      throw new ProblemError('bad_request', 'Last-Event-ID is not an id of this stream.', [
        { path: '/header/Last-Event-ID', message: 'unknown event id', code: 'cursor' },
      ]);
    }
    after = Number(match[1]);
  }
  const matches = (r: LogRecord) =>
    r.seq > after &&
    (!query.process || r.entry.process === query.process) &&
    (!query.source || r.entry.source === query.source) &&
    (lastEventId !== null || !query.since || Date.parse(r.entry.time) > Date.parse(query.since));
  let backlog = (rt.state.logs.get(appId) ?? []).filter(matches);
  if (lastEventId === null)
    backlog = backlog.slice(Math.max(0, backlog.length - (query.tail ?? 100)));

  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const r of backlog)
        controller.enqueue(event('log', JSON.stringify(r.entry), `c_${r.seq}`));
      if (!query.follow) {
        controller.enqueue(event('end', '{}'));
        controller.close();
        return;
      }
      const subscribers = rt.logSubscribers.get(appId) ?? new Set<(record: LogRecord) => void>();
      rt.logSubscribers.set(appId, subscribers);
      const onLine = (r: LogRecord) => {
        if (matches(r)) controller.enqueue(event('log', JSON.stringify(r.entry), `c_${r.seq}`));
      };
      subscribers.add(onLine);
      const heartbeat = setInterval(
        () => controller.enqueue(event('heartbeat', '{}')),
        rt.options.heartbeatIntervalMs,
      );
      cleanup = () => {
        clearInterval(heartbeat);
        subscribers.delete(onLine);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        cleanup();
        try {
          controller.close();
        } catch {}
      };
      signal.addEventListener('abort', onAbort, { once: true });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
  });
}
