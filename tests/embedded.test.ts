import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const main = path.join(__dirname, '../dist/src/main.js');

/**
 * The embedded default, as a new user meets it: the built service started with no DATABASE_URL and no
 * JWT_SECRET boots PGlite under a data directory, migrates, and serves requests. `npm test` builds
 * dist first.
 */
describe('embedded PostgreSQL default', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'calendar-embedded-'));
  });
  afterAll(async () => {
    child?.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  (existsSync(main) ? it : it.skip)('when started without DATABASE_URL, then it registers a user, lists calendars and lists a series\' occurrences twice', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', EMBEDDED_DATA_DIR: dir, LOG_LEVEL: 'info' };
    delete env.DATABASE_URL;
    delete env.JWT_SECRET;
    child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no listening line in 60 s:\n${out}`)), 60_000);
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
    });
    const reg = await fetch(`${base}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'E', email: 'e@example.com', password: 'secret123' }) });
    expect(reg.status).toBe(201);
    const { accessToken } = (await reg.json()) as { accessToken: string };
    const cals = await fetch(`${base}/calendars`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(cals.status).toBe(200);
    const { items } = (await cals.json()) as { items: { id: string }[] };
    expect(items).toHaveLength(1);
    // Listings run a prepared statement: read twice, so the second run reuses it on its connection.
    const entries = `${base}/calendars/${items[0]!.id}/entries`;
    const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    expect((await fetch(entries, { method: 'POST', headers: auth, body: JSON.stringify({ title: 'Standup', start: '2027-03-01T09:00:00Z', duration: 'PT15M', recurrence: { frequency: 'daily', count: 3 } }) })).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const listed = await fetch(`${entries}?start=2027-03-01T00:00:00Z&end=2027-03-08T00:00:00Z`, { headers: auth });
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as { items: { title: string }[] }).items.map((e) => e.title)).toEqual(['Standup', 'Standup', 'Standup']);
    }
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(existsSync(path.join(dir, 'pgdata'))).toBe(true);
    expect(existsSync(path.join(dir, 'jwt-secret'))).toBe(true);
  }, 90_000);
});
