// The Dockerfile builds in one stage and runs from a slim one: production dependencies only
// (npm ci --omit=dev), the compiled dist/, a non-root user, the compiled entry point, a HEALTHCHECK on
// /healthz that needs no curl; .dockerignore keeps secrets and local artefacts out of the context.
import { assertEntrypoint, exists, packageJson, readText } from './helpers';

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  base: string;
  name?: string;
  instructions: Instruction[];
}

/** Parses a Dockerfile into stages of instructions (line continuations joined, comments dropped). */
export function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(line) as RegExpExecArray;
    const instruction = { op: op.toUpperCase(), args };
    if (instruction.op === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!m) throw new Error(`Cannot parse ${line}`);
      stages.push({ base: m[1], name: m[2], instructions: [] });
    } else if (stages.length) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

const stages = parseDockerfile(readText('Dockerfile'));
const final = stages[stages.length - 1];
const all = (stage: Stage, op: string): string[] => stage.instructions.filter((i) => i.op === op).map((i) => i.args);
const last = (stage: Stage, op: string): string | undefined => all(stage, op).at(-1);
const execForm = (args: string): string[] => JSON.parse(args) as string[];

describe('Dockerfile', () => {
  it('is multi-stage, on a slim Node image of a supported LTS line', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(final.base).toMatch(/^node:(\$\{NODE_VERSION\}|2[024])(\.\d+)*-slim$/);
    const nodeVersion = /^ARG NODE_VERSION=(\d+)/m.exec(readText('Dockerfile'))?.[1];
    if (final.base.includes('${NODE_VERSION}')) expect(['20', '22', '24']).toContain(nodeVersion);
  });

  it('compiles with dev dependencies in a build stage that runs the package.json build script', () => {
    const build = stages.find((s) => all(s, 'RUN').some((r) => r.includes('npm run build')));
    expect(build).toBeDefined();
    expect(all(build as Stage, 'RUN').some((r) => /npm ci(?![^&;]*--omit=dev)/.test(r))).toBe(true);
    expect(packageJson().scripts.build).toMatch(/\btsc\b/);
    // The final stage takes dist/ from it.
    expect(all(final, 'COPY').some((c) => c.includes(`--from=${build?.name}`) && /\/dist\s+\S*dist$/.test(c))).toBe(true);
  });

  it('ships production dependencies only (npm ci --omit=dev) and no compiler', () => {
    const prodStage = stages.find((s) => all(s, 'RUN').some((r) => r.includes('npm ci --omit=dev')));
    expect(prodStage).toBeDefined();
    if (prodStage !== final) {
      expect(all(final, 'COPY').some((c) => c.includes(`--from=${prodStage?.name}`) && c.includes('node_modules'))).toBe(true);
    }
    expect(all(final, 'RUN').join('\n')).not.toMatch(/npm (ci|install)(?![^&;]*--omit=dev)/);
    expect(all(final, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
  });

  it('only copies from earlier stages and from files that exist', () => {
    const names = new Set<string>();
    for (const stage of stages) {
      for (const copy of all(stage, 'COPY')) {
        const from = /--from=(\S+)/.exec(copy)?.[1];
        if (from) {
          expect(names).toContain(from);
        } else {
          const sources = copy.replace(/--\S+/g, '').trim().split(/\s+/).slice(0, -1);
          for (const source of sources) if (source !== '.') expect(`${source} ${exists(source) ? 'exists' : 'is missing'}`).toBe(`${source} exists`);
        }
      }
      if (stage.name) names.add(stage.name);
    }
  });

  it('runs as a non-root user, given numerically so that Kubernetes can verify runAsNonRoot', () => {
    const user = last(final, 'USER');
    expect(user).toBeDefined();
    const uid = (user as string).split(':')[0];
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
  });

  it('starts the compiled API and exposes its port', () => {
    expect(last(final, 'ENTRYPOINT')).toBeUndefined();
    const cmd = execForm(last(final, 'CMD') as string);
    expect(cmd).toEqual(['node', 'dist/src/main.js']);
    assertEntrypoint(cmd[1]);
    const port = /\bPORT=(\d+)/.exec(all(final, 'ENV').join(' '))?.[1] ?? '3000';
    expect(all(final, 'EXPOSE')).toContain(port);
    expect(last(final, 'WORKDIR')).toBe('/app');
    // Migrations run as `node dist/src/migrate.js` with the same image: its dist/ is all there.
    assertEntrypoint('dist/src/migrate.js');
  });

  it('keeps V8\'s young generation at its full size under a container memory limit (NODE_OPTIONS)', () => {
    // Under 512 MiB Node sizes a semi-space at 1 MiB, which cost the listings half their throughput.
    const options = /NODE_OPTIONS="([^"]*)"/.exec(all(final, 'ENV').join(' '))?.[1] ?? '';
    expect(options.split(/\s+/)).toContain('--max-semi-space-size=16');
  });

  it('health-checks /healthz with node (slim images have no curl)', () => {
    const healthcheck = last(final, 'HEALTHCHECK') as string;
    expect(healthcheck).toBeDefined();
    const cmd = execForm(healthcheck.replace(/^.*?CMD\s+/, ''));
    expect(cmd[0]).toBe('node');
    expect(cmd.join(' ')).toContain('/healthz');
    expect(healthcheck).not.toMatch(/\b(curl|wget)\b/);
  });

  it('has a .dockerignore that keeps local artefacts and secrets out and the sources in', () => {
    const patterns = readText('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const required of ['node_modules', '.git', 'dist', '.env', 'terraform']) expect(patterns).toContain(required);
    expect(patterns.some((p) => p.includes('secrets.env') || p === '**/*.env')).toBe(true);
    for (const needed of ['src', 'migrations', 'package.json', 'package-lock.json', 'tsconfig.json', '*.json', '*.ts']) {
      expect(patterns).not.toContain(needed);
    }
  });

  it('parses continuation lines and stage names (the parser is live)', () => {
    const parsed = parseDockerfile('FROM a AS one\nRUN x \\\n  y\nFROM b\nUSER 0\n');
    expect(parsed.map((s) => s.name)).toEqual(['one', undefined]);
    expect(parsed[0].instructions).toEqual([{ op: 'RUN', args: 'x    y' }]);
  });
});
