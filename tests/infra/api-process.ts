// Starts the built API (dist/src/main.js) as a child process on loopback, as an operator would run it,
// for the tests that need real processes: load balancing, graceful shutdown.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TEST_SECRET } from '../helpers/app';
import { repoRoot } from './helpers';

/** The compiled entry point; `npm test` builds it before Jest runs. */
export const mainJs = path.join(repoRoot, 'dist/src/main.js');

/**
 * Why process tests cannot run here, or undefined when they can: they need the built service and a
 * PostgreSQL that several processes can share (the embedded PGlite of a run without DATABASE_URL serves
 * one connection at a time).
 */
export function processTestsUnavailable(): string | undefined {
  if (!existsSync(mainJs)) return `${path.relative(repoRoot, mainJs)} is missing (run \`npm run build\`, or \`npm test\` which builds first)`;
  if (!process.env.TEST_DATABASE_URL) return 'TEST_DATABASE_URL is not set (run through Jest, whose global setup sets it)';
  if (process.env.TEST_EMBEDDED === '1') return 'DATABASE_URL is not set: the embedded test database cannot be shared by several processes';
  return undefined;
}

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export async function freePort(): Promise<number> {
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

export interface ApiProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly base: string;
  /** Everything the process wrote to stdout and stderr so far (pino JSON lines). */
  output(): string;
  /** Resolves once the process has exited, with its exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `node dist/src/main.js` on a free loopback port against the test database (migrations are
 * expected to be applied already: MIGRATE_ON_START=false unless `env` says otherwise) and waits until
 * /healthz answers.
 */
export async function startApi(env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [mainJs], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      JWT_SECRET: TEST_SECRET,
      CACHE_URL: 'memory://',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_AUTH: '0',
      MIGRATE_ON_START: 'false',
      WEBHOOK_CONCURRENCY: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const base = `http://127.0.0.1:${port}`;

  const proc: ApiProcess = {
    child,
    port,
    base,
    output: () => out,
    exited,
    stop: async (graceMs = 10_000) => {
      if (hasExited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited) throw new Error(`the API process exited before it was ready:\n${out}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return proc;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await proc.stop(1000);
      throw new Error(`the API process did not answer /healthz on ${base} within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The sum of all samples of `metric` (e.g. http_request_duration_seconds_count) in a Prometheus text page. */
export function sumSamples(page: string, metric: string): number {
  let sum = 0;
  for (const line of page.split('\n')) {
    if (line.startsWith(`${metric}{`) || line.startsWith(`${metric} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
