import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { APIUserAbortError } from './errors';

/**
 * Reads a `text/event-stream` body as messages. Ends when the server ends the stream;
 * throws `APIUserAbortError` when `signal` aborts (whatever the `fetch` in use does with it).
 */
export async function* readEvents(
  response: Response,
  signal?: AbortSignal | null,
): AsyncGenerator<EventSourceMessage> {
  if (!response.body) return;
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => queue.push(message) });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const stop = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(value);
      while (queue.length) yield queue.shift()!;
    }
    if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
  } finally {
    signal?.removeEventListener('abort', stop);
    // Stops the upstream body too when the consumer breaks out early.
    await reader.cancel().catch(() => {});
  }
}
