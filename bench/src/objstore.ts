/**
 * The embedded S3 endpoint against the disk under it: PUT and GET of 1 MiB objects through
 * `@aws-sdk/client-s3` (SigV4 signed and verified, MD5 + SHA-256 + CRC32 computed on both
 * sides, temp file + rename + sidecar commit) next to raw `fs` writes and reads of 1 MiB
 * files on the same file system, in the same run. Durable rows compare the store with
 * fsync (its default) to `fs` writes that fsync too; the others compare without fsync.
 * The store seals every object at rest (AES-256-GCM by default); the SM4 rows show the
 * 国密 cipher (`ZW_CRYPTO=gm`) against the same baselines.
 * The endpoint runs in a child process, as it does for an app (another process); a bare
 * `node:http` server in that child, driven by a bare `node:http` client, shows what moving
 * 1 MiB over loopback HTTP costs by itself.
 * Each round runs every task in a fresh shuffled order; ratios are paired within a round,
 * and the median over rounds is reported.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const OPERATIONS = Number(process.env.BENCH_OPERATIONS ?? 200);
/** Objects are overwritten in a ring of this many keys, so the disk holds ≤ 64 MiB per store. */
const RING = 64;
const MIB = 1024 * 1024;
const body = randomBytes(MIB);

const dir = await mkdtemp(join(tmpdir(), 'zw-bench-objstore-'));

/**
 * A store (fsync on or off) served by a child process, and an SDK client for its one
 * binding. The child reuses this process's loader flags (tsx).
 */
async function s3Store(fsync: boolean, crypto: 'aes' | 'gm' = 'aes') {
  const server = spawn(
    process.execPath,
    [
      ...process.execArgv,
      join(import.meta.dirname, 'objstore-server.ts'),
      join(dir, `${fsync ? 'durable' : 'fast'}-${crypto}`),
      fsync ? 'fsync' : 'no-fsync',
      crypto,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    server.once('exit', (code) => reject(new Error(`S3 server exited with ${code}`)));
  });
  const { credentials, barePort } = JSON.parse(line) as {
    credentials: Record<string, string>;
    barePort: number;
  };
  const agent = new Agent({ keepAlive: true });
  const bareCall = (method: 'GET' | 'PUT') =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: barePort,
          method,
          path: '/',
          agent,
          headers: { 'content-length': method === 'PUT' ? MIB : 0 },
        },
        (res) => {
          let size = 0;
          res.on('data', (chunk: Buffer) => (size += chunk.length));
          res.on('end', () =>
            method === 'PUT' || size === MIB ? resolve() : reject(new Error('short read')),
          );
        },
      );
      req.on('error', reject);
      req.end(method === 'PUT' ? body : undefined);
    });
  const client = new S3Client({
    endpoint: credentials.endpoint,
    region: credentials.region,
    forcePathStyle: true,
    credentials: {
      accessKeyId: credentials.accessKeyId!,
      secretAccessKey: credentials.secretAccessKey!,
    },
    maxAttempts: 1,
  });
  const Bucket = credentials.bucket;
  return {
    barePut: () => bareCall('PUT'),
    bareGet: () => bareCall('GET'),
    put: (i: number) =>
      client.send(new PutObjectCommand({ Bucket, Key: `obj-${i % RING}`, Body: body })),
    get: async (i: number) => {
      const out = await client.send(new GetObjectCommand({ Bucket, Key: `obj-${i % RING}` }));
      const bytes = await out.Body!.transformToByteArray();
      if (bytes.length !== MIB) throw new Error('short read');
    },
    close: async () => {
      client.destroy();
      agent.destroy();
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.stdin.end();
      await exited;
    },
  };
}

const rawDir = join(dir, 'raw');
await mkdir(rawDir);
const raw = {
  write: (i: number) => writeFile(join(rawDir, `f-${i % RING}`), body),
  writeSync: async (i: number) => {
    const file = await open(join(rawDir, `d-${i % RING}`), 'w');
    try {
      await file.writeFile(body);
      await file.sync();
    } finally {
      await file.close();
    }
  },
  read: async (i: number) => {
    if ((await readFile(join(rawDir, `f-${i % RING}`))).length !== MIB)
      throw new Error('short read');
  },
};

const durable = await s3Store(true);
const fast = await s3Store(false);
const gm = await s3Store(false, 'gm');
// Objects and files to read exist before any GET or read is timed.
for (let i = 0; i < RING; i++)
  await Promise.all([durable.put(i), fast.put(i), gm.put(i), raw.write(i), raw.writeSync(i)]);

/** `total` operations, `concurrency` in flight; returns operations per second. */
async function rate(task: (i: number) => Promise<unknown>, concurrency: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < OPERATIONS) await task(next++);
    }),
  );
  return OPERATIONS / ((performance.now() - start) / 1000);
}

interface Row {
  name: string;
  inFlight: number;
  raw: (i: number) => Promise<unknown>;
  bare: (i: number) => Promise<unknown>;
  s3: (i: number) => Promise<unknown>;
}
const rows: Row[] = [];
for (const inFlight of [1, 8]) {
  rows.push(
    {
      name: 'PUT 1 MiB, fsync (store default) vs fs write + fsync',
      inFlight,
      raw: raw.writeSync,
      bare: durable.barePut,
      s3: durable.put,
    },
    {
      name: 'PUT 1 MiB, no fsync vs fs.writeFile',
      inFlight,
      raw: raw.write,
      bare: fast.barePut,
      s3: fast.put,
    },
    {
      name: 'GET 1 MiB vs fs.readFile',
      inFlight,
      raw: raw.read,
      bare: durable.bareGet,
      s3: durable.get,
    },
    {
      name: 'PUT 1 MiB sealed with SM4, no fsync vs fs.writeFile',
      inFlight,
      raw: raw.write,
      bare: gm.barePut,
      s3: gm.put,
    },
    {
      name: 'GET 1 MiB sealed with SM4 vs fs.readFile',
      inFlight,
      raw: raw.read,
      bare: gm.bareGet,
      s3: gm.get,
    },
  );
}

const SIDES = ['raw', 'bare', 's3'] as const;
const results = new Map(
  rows.map((row) => [row, { raw: [] as number[], bare: [] as number[], s3: [] as number[] }]),
);
for (const row of rows) for (const side of SIDES) await rate(row[side], row.inFlight); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  const tasks = rows.flatMap((row) => SIDES.map((side) => ({ row, side })));
  for (const { row, side } of tasks.sort(() => Math.random() - 0.5)) {
    results.get(row)![side].push(await rate(row[side], row.inFlight));
  }
}

await durable.close();
await fast.close();
await gm.close();
await rm(dir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `\nS3 endpoint vs raw fs, 1 MiB objects: ${ROUNDS} rounds × ${OPERATIONS} operations per task ` +
    `(Node ${process.version}, ${cpus().length} CPUs, ${tmpdir()})\n`,
);
console.log(
  '| operation | in flight | raw fs req/s | bare HTTP req/s | S3 req/s | S3 / raw fs | S3 / bare HTTP |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  const r = results.get(row)!;
  const ratio = (to: number[]) => median(r.s3.map((s, i) => s / to[i]!)).toFixed(2);
  console.log(
    `| ${row.name} | ${row.inFlight} | ${median(r.raw).toFixed(0)} | ${median(r.bare).toFixed(0)} | ${median(r.s3).toFixed(0)} | ${ratio(r.raw)}× | ${ratio(r.bare)}× |`,
  );
}
