import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The smallest app the platform runs: one web process, no dependencies (so no npm install),
 * which logs every request it serves to stdout — the platform collects that as its logs.
 */
const SERVER = `import { createServer } from 'node:http';

const server = createServer((req, res) => {
  if (req.url === '/readyz') return res.end('ok');
  console.log(\`\${req.method} \${req.url}\`);
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end('你好 · hello\\n');
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(\`listening on \${process.env.PORT}\`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const manifest = (
  name: string,
) => `# yaml-language-server: $schema=https://zhengwu.gov.cn/schemas/zhengwu.v1.json
apiVersion: zhengwu.gov.cn/v1
kind: App
metadata:
  name: ${name}
runtime: node@20
processes:
  web:
    command: node server.mjs
    memoryMb: 128
    health:
      readiness: { httpGet: { path: /readyz } }
      startupTimeout: 20s
`;

/** Writes the app (server.mjs and its zhengwu.yaml) into `dir`; returns the file names. */
export async function writeTinyApp(dir: string, name: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'server.mjs'), SERVER);
  await writeFile(join(dir, 'zhengwu.yaml'), manifest(name));
  return ['server.mjs', 'zhengwu.yaml'];
}
