// Two API processes behind a local nginx on loopback, on one PostgreSQL, as the Kubernetes Service or
// a cloud load balancer runs them: requests spread over both replicas, and what one replica writes the
// other reads at once (no per-process state stands between them).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestApp } from '../helpers/app';
import { type ApiProcess, freePort, processTestsUnavailable, startApi, sumSamples } from './api-process';
import { findExecutable } from './helpers';

const nginx = findExecutable('nginx', ['/usr/sbin/nginx']);
const unavailable = processTestsUnavailable() ?? (nginx ? undefined : 'nginx is not installed (Debian: apt-get install nginx)');
if (unavailable) console.log(`load-balancer test skipped: ${unavailable}`);
const maybe = unavailable ? describe.skip : describe;

function nginxConf(tmp: string, lbPort: number, upstreams: number[]): string {
  return `daemon off;
worker_processes 1;
pid ${tmp}/nginx.pid;
error_log ${tmp}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${tmp}/client_body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  upstream api {
${upstreams.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
  }
  server {
    listen 127.0.0.1:${lbPort};
    location / {
      proxy_pass http://api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Request-Id $request_id;
    }
  }
}
`;
}

/** Total requests a process has counted in http_request_duration_seconds, read from its own port. */
async function requestCount(api: ApiProcess): Promise<number> {
  const res = await fetch(`${api.base}/metrics`);
  expect(res.status).toBe(200);
  return sumSamples(await res.text(), 'http_request_duration_seconds_count');
}

maybe('two API processes behind nginx (loopback)', () => {
  let tmp: string;
  let a: ApiProcess | undefined;
  let b: ApiProcess | undefined;
  let proxy: ChildProcess | undefined;
  let proxyExited: Promise<unknown> = Promise.resolve();
  let lb: string;
  let nginxOut = '';

  beforeAll(async () => {
    // Migrations first, under the suite's advisory lock (other Jest workers migrate the same database);
    // the processes then start with MIGRATE_ON_START=false, as the Kubernetes Deployment does.
    await (await createTestApp()).close();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'calendar-lb-'));
    [a, b] = await Promise.all([startApi(), startApi()]);
    const lbPort = await freePort();
    const conf = path.join(tmp, 'nginx.conf');
    await writeFile(conf, nginxConf(tmp, lbPort, [a.port, b.port]));
    proxy = spawn(nginx!, ['-c', conf, '-p', tmp, '-e', path.join(tmp, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
    proxy.stdout!.on('data', (c: Buffer) => (nginxOut += c.toString()));
    proxy.stderr!.on('data', (c: Buffer) => (nginxOut += c.toString()));
    proxyExited = new Promise((resolve) => proxy!.on('exit', resolve));
    lb = `http://127.0.0.1:${lbPort}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proxy.exitCode !== null) throw new Error(`nginx exited with ${proxy.exitCode}:\n${nginxOut}`);
      try {
        if ((await fetch(`${lb}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`nginx did not answer on ${lb}:\n${nginxOut}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 60_000);

  afterAll(async () => {
    if (proxy && proxy.exitCode === null) {
      proxy.kill('SIGQUIT'); // nginx: graceful stop
      const timer = setTimeout(() => proxy!.kill('SIGKILL'), 5000);
      await proxyExited;
      clearTimeout(timer);
    }
    await Promise.all([a?.stop(), b?.stop()]);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }, 30_000);

  it('when many requests go through nginx, then both processes serve a share of them', async () => {
    const [beforeA, beforeB] = await Promise.all([requestCount(a!), requestCount(b!)]);
    const n = 40;
    for (let i = 0; i < n; i++) {
      const res = await fetch(`${lb}/healthz`);
      expect(res.status).toBe(200);
      // nginx hands each request its own id, and the process behind it echoes it.
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    }
    // Each /metrics read is itself counted once (after it is served), so the earlier read adds 1.
    const [afterA, afterB] = await Promise.all([requestCount(a!), requestCount(b!)]);
    const servedA = afterA - beforeA - 1;
    const servedB = afterB - beforeB - 1;
    expect(servedA + servedB).toBe(n);
    // Round robin: an even split, give or take the health checks of the startup loop.
    expect(servedA).toBeGreaterThanOrEqual(n / 4);
    expect(servedB).toBeGreaterThanOrEqual(n / 4);
  });

  it('when a user registers and creates a calendar through process A, then process B and nginx return it at once', async () => {
    const email = `lb-${Date.now()}@example.com`;
    const reg = await fetch(`${a!.base}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Load Balanced', email, password: 'correct horse' }),
    });
    expect(reg.status).toBe(201);
    const { accessToken } = (await reg.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };

    const created = await fetch(`${a!.base}/calendars`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Written through A' }),
    });
    expect(created.status).toBe(201);
    const calendar = (await created.json()) as { id: string; name: string };

    // B has never seen this user: the token (shared JWT_SECRET) and the rows come from the shared database.
    const viaB = await fetch(`${b!.base}/calendars/${calendar.id}`, { headers: auth });
    expect(viaB.status).toBe(200);
    expect(((await viaB.json()) as { name: string }).name).toBe('Written through A');

    // And through the balancer, whichever process answers (several times, so both do).
    for (let i = 0; i < 4; i++) {
      const list = await fetch(`${lb}/calendars`, { headers: auth });
      expect(list.status).toBe(200);
      const names = ((await list.json()) as { items: { name: string }[] }).items.map((c) => c.name);
      expect(names).toContain('Written through A');
    }
  });

  it('when a client sends its own X-Request-Id through nginx, then nginx replaces it with its own per-request id', async () => {
    const res = await fetch(`${lb}/healthz`, { headers: { 'x-request-id': 'client-chosen-id' } });
    expect(res.status).toBe(200);
    // proxy_set_header X-Request-Id $request_id: the balancer's id wins, and the app echoes it.
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
  });
});
