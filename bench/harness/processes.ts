import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Root of the compiled tree (`dist/`), where `src/main.js` and `bench/…` live. */
export const distRoot = path.resolve(__dirname, '../..');

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A server started by the bench as its own process (so it never shares the load generator's event loop). */
export interface ServerProcess {
  name: string;
  base: string;
  child: ChildProcess;
  /** Resident set size in MB now (Linux /proc), or NaN where it cannot be read. */
  rssMb(): number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `node [nodeArgs] script` with `env` plus PORT/HOST on a free loopback port and waits until
 * `ready(base)` resolves true (polled every 100 ms, up to `timeoutMs`). Output is forwarded, prefixed
 * with the name, so a crash is visible.
 * @throws Error when the process exits or is not ready in time (it is killed then).
 */
export async function startServer(opts: { name: string; script: string; env: NodeJS.ProcessEnv; nodeArgs?: string[]; ready: (base: string) => Promise<boolean>; timeoutMs?: number }): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.script], {
    env: { PATH: process.env.PATH, ...opts.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) process.stderr.write(`[${opts.name}] ${line}\n`);
  };
  child.stdout!.on('data', forward);
  child.stderr!.on('data', forward);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    name: opts.name,
    base,
    child,
    rssMb: () => rssMbOf(child.pid),
    stop: async (graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${opts.name} exited with code ${child.exitCode} before it was ready`);
    if (await opts.ready(base).catch(() => false)) return server;
    if (Date.now() > deadline) {
      await server.stop(1000);
      throw new Error(`${opts.name} was not ready on ${base} within ${opts.timeoutMs ?? 60_000} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `GET base + path` answers 2xx. */
export function answers(pathname: string): (base: string) => Promise<boolean> {
  return async (base) => (await fetch(`${base}${pathname}`, { signal: AbortSignal.timeout(2000) })).ok;
}

/** VmRSS of a process in MB (Linux), NaN when unknown. */
export function rssMbOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Where a process's memory is, in MB, as its Prometheus `/metrics` tells (prom-client's default metrics). */
export interface MemoryBreakdown {
  /** V8 heap reserved (`nodejs_heap_size_total_bytes`). */
  heapTotal: number;
  /** V8 heap holding live or not yet collected objects (`nodejs_heap_size_used_bytes`). */
  heapUsed: number;
  /** Memory outside the V8 heap held by JS objects: Buffers, ArrayBuffers (`nodejs_external_memory_bytes`). */
  external: number;
}

/** Reads `base`/metrics; undefined when the process serves none (the anchors). */
export async function memoryOf(base: string): Promise<MemoryBreakdown | undefined> {
  const res = await fetch(`${base}/metrics`).catch(() => undefined);
  if (!res?.ok) return undefined;
  const text = await res.text();
  const mb = (name: string) => {
    const value = new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1];
    return value === undefined ? Number.NaN : Math.round(Number(value) / 1048576);
  };
  return { heapTotal: mb('nodejs_heap_size_total_bytes'), heapUsed: mb('nodejs_heap_size_used_bytes'), external: mb('nodejs_external_memory_bytes') };
}

/** Runs `node script` to completion with `env`. @throws Error on a non-zero exit. */
export function runToEnd(script: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(script)} exited with code ${code}`))));
  });
}
