/**
 * A platform stand-in for orphan.test.ts: runs a Supervisor with one replica (which forks a
 * grandchild), prints the pids once it is ready, then idles until it is killed.
 */
import { LogStore } from '../../src/runtime/logs';
import { Supervisor } from '../../src/runtime/supervisor';

const [cwd, runDir] = process.argv.slice(2) as [string, string];
const logs = new LogStore();
const supervisor = new Supervisor({ runDir, logs, watchdogGraceSeconds: 1 });
const replica = supervisor.start({
  appId: 'app_orphan',
  tenantId: 'ten_orphan',
  releaseId: 'rel_1',
  process: 'web',
  index: 0,
  cwd,
  command: 'node app.mjs',
  env: { CHILD: '1' },
});
await supervisor.waitReady(replica, 10_000);
for (;;) {
  const line = logs
    .read({ appId: 'app_orphan', source: 'app' })
    .find((r) => r.entry.message.startsWith('grandchild '));
  if (line) {
    const grandchild = Number(line.entry.message.split(' ')[1]);
    console.log(`ZW_CHILD_READY ${JSON.stringify({ pid: replica.pid, grandchild })}`);
    break;
  }
  await new Promise((r) => setTimeout(r, 20));
}
setInterval(() => {}, 1_000);
