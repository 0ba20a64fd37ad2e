/** Waiting helpers the buses share: a pause, and letting messages being handled finish. */

/** @param {number} ms */
export const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves when nothing is in flight any more, or after `timeoutMs` (the process is stopping
 * either way; what was not acknowledged is delivered again).
 * @param {{ count: number }} inFlight
 * @param {number} timeoutMs
 */
export async function drain(inFlight, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (inFlight.count > 0 && Date.now() < deadline) await pause(50);
}
