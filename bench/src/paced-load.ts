/**
 * An open-loop load generator (wrk2's model): request n is due at start + n / rate, whatever
 * happened to the ones before, and its latency counts from when it was due — so a server that
 * falls behind is charged for the queue it builds (no coordinated omission).
 *
 * Why not `autocannon -R`: it lets each connection send its share of a second back to back
 * at the start of the second, so a steady 500 req/s arrives as bursts; and its coordinated-
 * omission correction assumes requests 1 ms apart (`ceil(1 / rate)` with the rate per second)
 * where they are ~30 ms apart, adding a synthetic sample for every millisecond of a slow
 * answer. Both inflate p99 at a fixed rate. The platform bench reports both generators.
 *
 *   tsx paced-load.ts <url> <rate req/s> <seconds> <max connections> [header=value …]
 * prints one JSON line: { requests: { total, average }, latency: { p50, p90, p99, max } (ms), non2xx, errors }
 */
import { Agent, get } from 'node:http';
import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';

const [url, rateArg, secondsArg, connectionsArg, ...headerArgs] = process.argv.slice(2);
if (!url || !rateArg || !secondsArg || !connectionsArg) {
  throw new Error('usage: paced-load.ts <url> <rate> <seconds> <connections> [header=value …]');
}
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const headers = Object.fromEntries(
  headerArgs.map((h) => [h.slice(0, h.indexOf('=')), h.slice(h.indexOf('=') + 1)]),
);
const agent = new Agent({ keepAlive: true, maxSockets: Number(connectionsArg) });
// Microseconds, 1 µs to 60 s, 3 significant digits.
const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60e6 });
let done = 0;
let non2xx = 0;
let errors = 0;

const interval = 1000 / rate;
const start = performance.now() + 50;
const total = Math.round(rate * seconds);
let sent = 0;

function send(due: number): Promise<void> {
  return new Promise((resolve) => {
    get(url!, { agent, headers }, (res) => {
      res.resume();
      res.once('end', () => {
        histogram.recordValue(Math.max(1, Math.round((performance.now() - due) * 1000)));
        if ((res.statusCode ?? 0) >= 300) non2xx++;
        done++;
        resolve();
      });
    }).once('error', () => {
      errors++;
      resolve();
    });
  });
}

const inFlight: Promise<void>[] = [];
await new Promise<void>((finish) => {
  const tick = () => {
    const now = performance.now();
    // Everything due by now goes out (timers fire late by up to a millisecond or so).
    while (sent < total && start + sent * interval <= now) {
      inFlight.push(send(start + sent * interval));
      sent++;
    }
    if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    else finish();
  };
  setTimeout(tick, Math.max(0, start - performance.now()));
});
await Promise.all(inFlight);
agent.destroy();

const ms = (us: number) => Math.round(us / 10) / 100;
console.log(
  JSON.stringify({
    requests: { total: done, average: done / seconds },
    latency: {
      p50: ms(histogram.getValueAtPercentile(50)),
      p90: ms(histogram.getValueAtPercentile(90)),
      p99: ms(histogram.getValueAtPercentile(99)),
      max: ms(histogram.maxValue),
    },
    non2xx,
    errors,
  }),
);
