import type { FastifyReply } from 'fastify';
import { type LogRecord, type LogStore, seqOfCursor } from './logs';
import type { LogSource } from './types';

/** The query of `GET /v1/apps/{appId}/logs` (already validated against the contract). */
export interface LogStreamQuery {
  follow?: boolean | undefined;
  tail?: number | undefined;
  since?: string | undefined;
  process?: string | undefined;
  source?: LogSource | undefined;
}

export interface LogStreamOptions {
  /** Between heartbeats (the contract says 15 s). */
  heartbeatMs?: number;
  /** A client this far behind (bytes queued) is disconnected rather than buffered without end. */
  maxBufferedBytes?: number;
}

const event = (record: LogRecord) => `event: log\nid: ${record.cursor}\ndata: ${record.json}\n\n`;
const HEARTBEAT = 'event: heartbeat\ndata: {}\n\n';
const END = 'event: end\ndata: {}\n\n';

/**
 * Answers `streamAppLogs` as the contract describes: the backlog (the last `tail` entries
 * after `since`, or everything after `Last-Event-ID`), then with `follow` every new entry
 * and a heartbeat every 15 s until the client leaves; without `follow` an `end` event and
 * the connection closes. Takes the response over from Fastify (`reply.hijack()`).
 */
export function streamLogs(
  reply: FastifyReply,
  store: LogStore,
  appId: string,
  query: LogStreamQuery,
  lastEventId?: string,
  options: LogStreamOptions = {},
): void {
  const filter = { process: query.process, source: query.source };
  // An id this store did not issue resumes nothing: it is ignored, like a missing one.
  const after = seqOfCursor(lastEventId) === undefined ? undefined : lastEventId;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Reverse proxies (nginx) must not buffer the stream.
    'x-accel-buffering': 'no',
  });
  // Backlog and subscription in the same tick: no entry can fall between them.
  const backlog = store.read({
    appId,
    ...filter,
    tail: query.tail ?? 100,
    since: query.since,
    after,
  });
  res.write(backlog.map(event).join(''));
  if (!query.follow) {
    res.end(END);
    return;
  }
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const unsubscribe = store.subscribe(appId, filter, (record) => {
    if (res.writableLength > maxBuffered) res.destroy();
    else res.write(event(record));
  });
  const heartbeat = setInterval(() => res.write(HEARTBEAT), options.heartbeatMs ?? 15_000);
  heartbeat.unref();
  // On shutdown the connection just closes (no `end`): clients reconnect with Last-Event-ID.
  const deregister = store.onEndStreams(() => res.end());
  res.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    deregister();
  });
}
