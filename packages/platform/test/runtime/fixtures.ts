import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A tiny app as vendors write them: listens on $PORT, /healthz and /readyz, SIGTERM ends it
 * after in-flight requests. Behaviour for tests comes from its environment:
 * READY_AFTER_MS (readiness starts failing until then), CRASH_AFTER_MS (exit 1),
 * IGNORE_TERM=1 (survives SIGTERM), CHILD=1 (forks a grandchild in its group),
 * SAY (a line printed at start).
 */
export const APP = `
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
const started = Date.now();
const readyAfter = Number(process.env.READY_AFTER_MS ?? 0);
let readyOverride;
let live = true;
if (process.env.SAY) console.log(process.env.SAY);
if (process.env.CHILD === '1') {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  console.log('grandchild ' + child.pid);
}
if (process.env.CRASH_AFTER_MS) {
  setTimeout(() => { console.error('crashing now'); process.exit(1); }, Number(process.env.CRASH_AFTER_MS));
}
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/healthz') { res.writeHead(live ? 200 : 500); return res.end(); }
  if (url.pathname === '/readyz') {
    const ready = readyOverride ?? Date.now() - started >= readyAfter;
    res.writeHead(ready ? 200 : 503); return res.end();
  }
  if (url.pathname === '/set') {
    if (url.searchParams.has('ready')) readyOverride = url.searchParams.get('ready') === '1';
    if (url.searchParams.has('live')) live = url.searchParams.get('live') === '1';
    res.writeHead(204); return res.end();
  }
  if (url.pathname === '/echo') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    return req.pipe(res);
  }
  if (url.pathname === '/log') {
    console.log(url.searchParams.get('line'));
    res.writeHead(204); return res.end();
  }
  const wait = Number(url.searchParams.get('wait') ?? 0);
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
    res.end(JSON.stringify({
      replica: process.env.ZHENGWU_REPLICA,
      release: process.env.ZHENGWU_RELEASE_ID,
      port: process.env.PORT,
      url: req.url,
      headers: req.headers,
      bindingRoot: process.env.SERVICE_BINDING_ROOT ?? null,
      nodeOptions: process.env.NODE_OPTIONS ?? null,
      masterKey: process.env.ZW_MASTER_KEY ?? null,
    }));
  }, wait);
});
server.on('upgrade', (req, socket) => {
  if (req.url === '/ws-refused') {
    return socket.end('HTTP/1.1 403 Forbidden\\r\\nContent-Type: text/plain\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n7\\r\\nrefused\\r\\n0\\r\\n\\r\\n');
  }
  socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: echo\\r\\nConnection: Upgrade\\r\\nX-Seen-Url: ' + req.url + '\\r\\n\\r\\n');
  socket.pipe(socket);
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
process.on('SIGTERM', () => {
  if (process.env.IGNORE_TERM === '1') { console.log('ignoring SIGTERM'); return; }
  console.log('stopping');
  server.close(() => process.exit(0));
});
`;

export interface Fixture {
  dir: string;
  cleanup(): Promise<void>;
}

/** A temp dir holding `app.mjs` (see `APP`) and anything else given. */
export async function fixtureDir(extra: Record<string, string> = {}): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'zw-runtime-'));
  await writeFile(join(dir, 'app.mjs'), APP);
  for (const [name, text] of Object.entries(extra)) await writeFile(join(dir, name), text);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Polls until `check` holds (or throws after `timeoutMs`). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether a process exists (zombies excepted: they have finished). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
