// docker-compose.yml parses and is consistent: the API runs a real entry point, waits for the one-shot
// migration service and healthy data stores, publishes the port it listens on, health-checks
// /healthz, and the monitoring profile mounts files that exist and scrapes the API.
import { parse as parseYaml } from 'yaml';
import { assertEntrypoint, Doc, exists, packageJson, readText } from './helpers';

const compose = parseYaml(readText('docker-compose.yml'), { merge: true }) as Doc;
const services = compose.services as Record<string, Doc>;

/** Command of a service as an argument list. */
const argv = (command: Doc): string[] => (Array.isArray(command) ? command : String(command).split(/\s+/));

/** Checks that a command runs a compiled entry point with node, or an existing npm script. */
function assertRunnable(command: string[]): void {
  if (command[0] === 'node') {
    assertEntrypoint(command[command.length - 1]);
  } else if (command[0] === 'npm' && command[1] === 'run') {
    expect(Object.keys(packageJson().scripts)).toContain(command[2]);
  } else {
    throw new Error(`Unexpected command: ${command.join(' ')}`);
  }
}

/** Container port of a "host:container" / "ip:host:container" mapping. */
const containerPort = (mapping: string | Doc): number =>
  typeof mapping === 'string' ? Number(mapping.split(':').at(-1)?.split('/')[0]) : Number(mapping.target);

describe('docker-compose.yml', () => {
  it('defines the API, the migration one-shot, PostgreSQL 16 and Redis 7', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['api', 'migrate', 'postgres', 'redis']));
    expect(services.postgres.image).toMatch(/^postgres:16/);
    expect(services.redis.image).toMatch(/^redis:7/);
  });

  it('runs the compiled API and the migrations as a separate command of the same image', () => {
    expect(argv(services.api.command)).toEqual(['node', 'dist/src/main.js']);
    expect(argv(services.migrate.command)).toEqual(['node', 'dist/src/migrate.js']);
    assertRunnable(argv(services.api.command));
    assertRunnable(argv(services.migrate.command));
    expect(services.migrate.image).toBe(services.api.image);
    expect(services.migrate.build).toEqual(services.api.build);
    expect(exists('Dockerfile')).toBe(true);
    // The migrate service has done the migrations.
    expect(services.api.environment.MIGRATE_ON_START).toBe('false');
  });

  it('starts the API only after the migrations succeeded and the data stores are healthy', () => {
    expect(services.api.depends_on.migrate.condition).toBe('service_completed_successfully');
    expect(services.api.depends_on.postgres.condition).toBe('service_healthy');
    expect(services.api.depends_on.redis.condition).toBe('service_healthy');
    expect(services.migrate.depends_on.postgres.condition).toBe('service_healthy');
    for (const name of ['postgres', 'redis', 'api']) expect(services[name].healthcheck?.test).toBeDefined();
    expect(services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(services.redis.healthcheck.test.join(' ')).toContain('redis-cli ping');
  });

  it('publishes the port the API listens on and health-checks /healthz on it', () => {
    const port = Number(services.api.environment.PORT ?? 3000);
    expect((services.api.ports as Doc[]).map(containerPort)).toContain(port);
    const check = (services.api.healthcheck.test as string[]).join(' ');
    expect(check).toContain(`:${port}/healthz`);
    // Slim images have no curl or wget.
    expect(check).not.toMatch(/\b(curl|wget)\b/);
  });

  it('points the API at the compose PostgreSQL and Redis, with a long enough JWT secret', () => {
    const env = services.api.environment;
    const db = new URL(env.DATABASE_URL.replace(/\$\{[^}]*:-([^}]*)\}/g, '$1'));
    expect(db.hostname).toBe('postgres');
    expect(db.username).toBe(services.postgres.environment.POSTGRES_USER);
    expect(db.pathname).toBe(`/${services.postgres.environment.POSTGRES_DB}`);
    // Both sides use the same password variable (and default).
    expect(env.DATABASE_URL).toContain(services.postgres.environment.POSTGRES_PASSWORD);
    expect(new URL(env.CACHE_URL).hostname).toBe('redis');
    const jwtDefault = /\$\{JWT_SECRET:-([^}]*)\}/.exec(env.JWT_SECRET)?.[1] ?? env.JWT_SECRET;
    expect(jwtDefault.length).toBeGreaterThanOrEqual(32);
    expect(services.migrate.environment.DATABASE_URL).toBe(env.DATABASE_URL);
  });

  it('declares every named volume it uses and keeps data stores on volumes', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, service] of Object.entries(services)) {
      for (const volume of (service.volumes ?? []) as string[]) {
        const source = volume.split(':')[0];
        if (source.startsWith('.') || source.startsWith('/')) {
          expect(`${name}: ${source} exists`).toBe(`${name}: ${source} ${exists(source) ? 'exists' : 'is missing'}`);
        } else {
          expect(declared).toContain(source);
        }
      }
    }
    expect((services.postgres.volumes as string[]).some((v) => v.endsWith(':/var/lib/postgresql/data'))).toBe(true);
  });

  it('has an optional monitoring profile: Prometheus scraping the API and Grafana provisioned from monitoring/', () => {
    for (const name of ['prometheus', 'grafana']) expect(services[name].profiles).toEqual(['monitoring']);
    for (const name of ['api', 'migrate', 'postgres', 'redis']) expect(services[name].profiles).toBeUndefined();
    const prometheusConfig = parseYaml(readText('monitoring/prometheus/prometheus.yml')) as Doc;
    const job = (prometheusConfig.scrape_configs as Doc[]).find((j) => j.job_name === 'calendar-api');
    expect(job.metrics_path).toBe('/metrics');
    const port = Number(services.api.environment.PORT ?? 3000);
    expect(job.static_configs[0].targets).toEqual([`api:${port}`]);
    const datasource = parseYaml(readText('monitoring/grafana/provisioning/datasources/prometheus.yml')) as Doc;
    expect(datasource.datasources[0].url).toBe('http://prometheus:9090');
    const provider = parseYaml(readText('monitoring/grafana/provisioning/dashboards/calendar.yml')) as Doc;
    const dashboardsMount = (services.grafana.volumes as string[]).find((v) => v.startsWith('./monitoring/grafana/dashboards:'));
    expect(dashboardsMount?.split(':')[1]).toBe(provider.providers[0].options.path);
  });
});
