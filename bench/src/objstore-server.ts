/**
 * The S3 endpoint for `objstore.ts`, in a process of its own as in production (apps are other
 * processes): starts an embedded object-storage pool in `argv[2]` (`argv[3]` = `fsync` or
 * `no-fsync`, `argv[4]` = `aes` (default) or `gm`: the cipher objects are sealed with),
 * provisions one instance and binds it. Beside it, a bare `node:http` server
 * (no auth, no disk: PUT bodies are read and dropped, GET answers 1 MiB from memory) gives
 * the cost of moving 1 MiB over loopback HTTP. Prints `{ credentials, barePort }` as one JSON
 * line and cleans up when its stdin closes.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ObjectStorageBroker } from '../../packages/platform/src/brokers/object-storage/index';
import { newId } from '../../packages/platform/src/ids';

const [dataDir, mode, crypto = 'aes'] = process.argv.slice(2);
if (
  !dataDir ||
  (mode !== 'fsync' && mode !== 'no-fsync') ||
  (crypto !== 'aes' && crypto !== 'gm')
) {
  throw new Error('usage: objstore-server.ts <dataDir> fsync|no-fsync [aes|gm]');
}
const broker = new ObjectStorageBroker({
  dataDir,
  secretsKey: randomBytes(32),
  fsync: mode === 'fsync',
  crypto,
});
await broker.start();
const instance = {
  id: newId('ins'),
  tenantId: newId('ten'),
  plan: 'bench',
  limits: {},
  parameters: {},
};
await broker.provision(instance);
const credentials = await broker.bind(instance, { id: newId('bnd'), version: 1, parameters: {} });

const mebibyte = randomBytes(1024 * 1024);
const bare = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.method === 'GET')
      res.writeHead(200, { 'content-length': mebibyte.length }).end(mebibyte);
    else res.writeHead(200, { 'content-length': 0 }).end();
  });
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));

process.stdout.write(
  `${JSON.stringify({ credentials, barePort: (bare.address() as AddressInfo).port })}\n`,
);
process.stdin.resume();
process.stdin.on('end', async () => {
  await broker.deprovision(instance);
  await broker.close();
  bare.close();
  process.exit(0);
});
