/** Routes: each to a declared process, no (host, path) twice. */
import { toPointer } from '../pointer';
import type { CheckContext } from './context';

export function checkRoutes({ manifest, report }: CheckContext): void {
  const seen = new Map<string, number>();
  const processes = Object.keys(manifest.processes);
  (manifest.routes ?? []).forEach((route, index) => {
    if (!Object.hasOwn(manifest.processes, route.process)) {
      report({
        path: toPointer(['routes', index, 'process']),
        code: 'unknown_process',
        message: `路由指向的进程 "${route.process}" 不在 processes 中（有：${processes.join('、')}）· the route points to process "${route.process}", which is not in processes (have: ${processes.join(', ')})`,
      });
    }
    const key = `${route.host ?? ''} ${route.path.replace(/\/+$/, '') || '/'}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else {
      report({
        path: toPointer(['routes', index, 'path']),
        code: 'duplicate_route',
        message: `与 routes[${first}] 的主机和路径相同 · same host and path as routes[${first}]`,
      });
    }
  });
}
