// The GitHub Actions workflow parses, tests against PostgreSQL and Redis services on Node 20, runs only
// npm scripts and repository scripts that exist, pushes the image only from main, and deploys to
// production only after staging, behind the "production" environment (manual approval).
import { parse as parseYaml } from 'yaml';
import { Doc, exists, packageJson, readText } from './helpers';

const workflow = parseYaml(readText('.github/workflows/ci.yml')) as Doc;
const jobs = workflow.jobs as Record<string, Doc>;
const steps = (job: Doc): Doc[] => (job.steps ?? []) as Doc[];
const runs = (): { job: string; run: string }[] =>
  Object.entries(jobs).flatMap(([job, j]) => steps(j).filter((s) => s.run).map((s) => ({ job, run: String(s.run) })));

describe('.github/workflows/ci.yml', () => {
  it('runs on pushes to main and on pull requests', () => {
    // YAML 1.1 readers turn a bare `on` into true; the yaml package (1.2) keeps the key.
    const on = workflow.on ?? workflow[true as unknown as string];
    expect(on.push.branches).toContain('main');
    expect(on).toHaveProperty('pull_request');
  });

  it('tests on Node 20 with PostgreSQL and Redis services that the test environment points at', () => {
    const test = jobs.test;
    expect(test.services.postgres.image).toMatch(/^postgres:1[5-9]/);
    expect(test.services.redis.image).toMatch(/^redis:7/);
    const setupNode = steps(test).find((s) => String(s.uses ?? '').startsWith('actions/setup-node@'));
    expect(String(setupNode?.with?.['node-version'])).toBe('20');
    const env = test.env as Record<string, string>;
    const db = new URL(env.DATABASE_URL);
    expect(test.services.postgres.ports).toContain(`${db.port}:5432`);
    expect(db.username).toBe(test.services.postgres.env.POSTGRES_USER);
    expect(db.password).toBe(test.services.postgres.env.POSTGRES_PASSWORD);
    expect(db.pathname).toBe(`/${test.services.postgres.env.POSTGRES_DB}`);
    const cache = new URL(env.CACHE_URL);
    expect(cache.protocol).toBe('redis:');
    expect(test.services.redis.ports).toContain(`${cache.port}:6379`);
    expect(env.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    const commands = steps(test).map((s) => String(s.run ?? ''));
    expect(commands.some((c) => /^npm ci\b/.test(c) || c.includes('bash .ci/run'))).toBe(true);
    expect(commands.some((c) => /^npm (test|run test)\b/.test(c) || c.includes('bash .ci/run'))).toBe(true);
  });

  it('only calls npm scripts that package.json defines', () => {
    const scripts = packageJson().scripts;
    const called = runs().flatMap(({ job, run }) =>
      [...run.matchAll(/\bnpm\s+(?:run(?:-script)?\s+([\w:.-]+)|(test|start)\b)/g)].map((m) => ({ job, script: m[1] ?? m[2] })),
    );
    expect(called.length).toBeGreaterThan(0);
    for (const { job, script } of called) {
      expect(`${job}: npm run ${script} ${script in scripts ? 'is' : 'is not'} a package.json script`).toBe(`${job}: npm run ${script} is a package.json script`);
    }
  });

  it('only calls repository scripts that exist', () => {
    for (const { job, run } of runs()) {
      for (const m of run.matchAll(/\b(?:bash|sh)\s+((?:\.\/)?[\w./-]+\.sh|\.ci\/run)\b/g)) {
        expect(`${job}: ${m[1]} exists`).toBe(`${job}: ${m[1]} ${exists(m[1]) ? 'exists' : 'is missing'}`);
      }
    }
  });

  it('builds the image with the Dockerfile and pushes it only from main', () => {
    const image = jobs.image;
    expect(image.needs).toEqual(expect.arrayContaining(['test']));
    expect(image.permissions.packages).toBe('write');
    const build = steps(image).find((s) => String(s.uses ?? '').startsWith('docker/build-push-action@'));
    expect(build.with.context).toBe('.');
    expect(String(build.with.push)).toContain("github.ref == 'refs/heads/main'");
    expect(exists('Dockerfile')).toBe(true);
    expect(image.outputs.digest).toContain('steps.build.outputs.digest');
  });

  it('deploys to staging, then to production behind the production environment', () => {
    const staging = jobs['deploy-staging'];
    const production = jobs['deploy-production'];
    expect(staging.environment.name ?? staging.environment).toBe('staging');
    expect(production.environment.name ?? production.environment).toBe('production');
    expect(production.needs).toEqual(expect.arrayContaining(['deploy-staging']));
    expect([staging.needs].flat()).toContain('image');
    for (const job of [staging, production]) {
      expect(job.if).toContain("github.ref == 'refs/heads/main'");
      expect(steps(job).some((s) => String(s.run ?? '').includes('.github/scripts/deploy.sh'))).toBe(true);
    }
  });

  it('deploys through the cloud overlay and its migration Job', () => {
    const script = readText('.github/scripts/deploy.sh');
    expect(script).toContain('k8s/overlays/cloud');
    expect(exists('k8s/overlays/cloud/kustomization.yaml')).toBe(true);
    // Names the script waits for must be those of the manifests.
    expect(script).toContain('calendar-api-migrate');
    expect(readText('k8s/base/migration-job.yaml')).toContain('name: calendar-api-migrate');
    expect(script).toContain('deployment/calendar-api');
    expect(readText('k8s/base/deployment.yaml')).toMatch(/kind: Deployment\nmetadata:\n {2}name: calendar-api\n/);
  });
});
