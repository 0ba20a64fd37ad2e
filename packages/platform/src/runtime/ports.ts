import { freePort } from '../free-port';

/**
 * Free loopback ports for replicas. The OS picks one (listen on port 0), and ports still
 * held by a live replica are never handed out twice even if the OS would reuse them.
 */
export class PortAllocator {
  private readonly held = new Set<number>();

  async allocate(): Promise<number> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const port = await freePort();
      if (!this.held.has(port)) {
        this.held.add(port);
        return port;
      }
    }
    throw new Error('没有空闲端口 · No free port on 127.0.0.1');
  }

  /** Marks a fixed port as held (a spec that names its port). */
  hold(port: number): void {
    this.held.add(port);
  }

  release(port: number): void {
    this.held.delete(port);
  }
}
