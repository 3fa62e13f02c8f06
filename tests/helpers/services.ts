import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** True when `bin` is on PATH. */
export function hasBinary(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
}

/**
 * A throwaway Redis or memcached server of the test's own on a loopback port, so a test can stop and
 * restart a real server without touching the shared one.
 */
export class OwnServer {
  private child?: ChildProcess;

  private constructor(
    readonly kind: 'redis' | 'memcached',
    readonly port: number,
  ) {}

  static async create(kind: 'redis' | 'memcached'): Promise<OwnServer> {
    return new OwnServer(kind, await freePort());
  }

  get url(): string {
    return `${this.kind === 'redis' ? 'redis' : 'memcached'}://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const [bin, args] = this.kind === 'redis'
      ? ['redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']]
      : ['memcached', ['-u', 'nobody', '-l', '127.0.0.1', '-p', String(this.port)]];
    this.child = spawn(bin, args as string[], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await portOpen(this.port)); i++) await new Promise((r) => setTimeout(r, 50));
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
