import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A tiny `sh` process (about 1 MB) that outlives the platform by design: it reads the
 * process groups the supervisor runs from a pipe, and when the pipe closes — the platform
 * exited, crashed or was SIGKILLed — it SIGTERMs every group still listed, waits the
 * grace period and SIGKILLs them. So replicas never outlive the platform, whatever the
 * app is written in (no cooperation from the app needed).
 */
const SCRIPT = `
groups=' '
while read -r op id; do
  case "$id" in ''|*[!0-9]*) continue ;; esac
  case "$op" in
    +) groups="$groups$id " ;;
    -) rest=' '; for g in $groups; do [ "$g" = "$id" ] || rest="$rest$g "; done; groups="$rest" ;;
  esac
done
[ -z "$(echo $groups)" ] && exit 0
for g in $groups; do kill -TERM -"$g" 2>/dev/null; done
sleep "$1"
for g in $groups; do kill -KILL -"$g" 2>/dev/null; done
`;

export class Watchdog {
  private readonly child: ChildProcess;

  constructor(graceSeconds = 5) {
    // Its own process group: a Ctrl-C aimed at the platform must not kill it first.
    this.child = spawn('/bin/sh', ['-c', SCRIPT, 'zhengwu-watchdog', String(graceSeconds)], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    this.child.on('error', () => {});
    this.child.stdin!.on('error', () => {});
    // Neither the process nor its pipe keeps the platform's event loop alive.
    this.child.unref();
    (this.child.stdin as unknown as { unref?: () => void }).unref?.();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  watch(pgid: number): void {
    this.child.stdin!.write(`+ ${pgid}\n`);
  }

  forget(pgid: number): void {
    this.child.stdin!.write(`- ${pgid}\n`);
  }

  /** Closes the pipe: the watchdog stops whatever is still listed (nothing, after `stopAll`) and exits. */
  close(): void {
    this.child.stdin!.end();
  }
}
