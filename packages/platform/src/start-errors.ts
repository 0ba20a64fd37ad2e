import { createServer } from 'node:net';
import { listenPorts, type PlatformConfig } from './config';
import { DataDirLockedError } from './data-dir-lock';

/** Listens on each port for a moment: a port in use fails now, before anything starts. */
export async function checkPortsFree(config: PlatformConfig): Promise<void> {
  for (const { port, host } of listenPorts(config)) {
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
    });
  }
}

/** What to tell the operator for a known start failure; undefined for anything else. */
export function explainStartError(error: unknown, config: PlatformConfig): string | undefined {
  if (error instanceof DataDirLockedError) return error.message;
  const e = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (e?.code === 'EADDRINUSE' && typeof e.port === 'number') {
    const env = listenPorts(config).find((p) => p.port === e.port)?.env;
    return `端口 ${e.port} 已被占用（另一个平台或程序）${env ? `，停止它或把 ${env} 设为空闲端口` : ''} · Port ${e.address ?? ''}:${e.port} is in use (by another platform or program)${env ? `: stop it, or set ${env} to a free port` : ''}.`;
  }
  if (e?.code === 'EACCES' && typeof e.port === 'number') {
    return `无权监听端口 ${e.port} · Not allowed to listen on port ${e.port}: use a port above 1023.`;
  }
  return undefined;
}
