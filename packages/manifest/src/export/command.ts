/**
 * A process command as container argv. A plain command (`node server.js`) runs directly, so
 * it receives SIGTERM itself; anything a shell must read (quotes, `$VAR`, `&&`, `FOO=1 …`)
 * runs under `/bin/sh -c`, as a Procfile line would.
 */

const PLAIN_WORD = /^[A-Za-z0-9_@%+:,./-]+$/;

export function commandArgv(command: string): { command: string[]; args: string[] } {
  const words = command.trim().split(/\s+/);
  if (words.every((w) => PLAIN_WORD.test(w))) {
    return { command: words.slice(0, 1), args: words.slice(1) };
  }
  return { command: ['/bin/sh', '-c'], args: [command] };
}
