// The deployment files and the docs speak of the environment variables the service really reads
// (src/config/config.ts): a misspelt or retired name in a ConfigMap is silently ignored by the app, and
// an undocumented one is invisible to operators.
import { parse as parseYaml } from 'yaml';
import { Doc, readText } from './helpers';

/** The variables of the EnvSchema in src/config/config.ts, in order. */
function configVariables(): string[] {
  const source = readText('src/config/config.ts');
  const start = source.indexOf('const EnvSchema = Type.Object({');
  const end = source.indexOf('\n});', start);
  expect(start).toBeGreaterThan(-1);
  return [...source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);
}

const known = configVariables();
const keysOf = (lines: string[]): string[] => lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.indexOf('=')));

/** Every variable a deployment file sets for the API, by file. */
function variablesSet(): Record<string, string[]> {
  const compose = parseYaml(readText('docker-compose.yml'), { merge: true }) as Doc;
  const base = parseYaml(readText('k8s/base/kustomization.yaml')) as Doc;
  const local = parseYaml(readText('k8s/overlays/local/kustomization.yaml')) as Doc;
  const tfApp = readText('terraform/modules/app/main.tf');
  const tfConfig = tfApp.slice(tfApp.indexOf('config = merge({'), tfApp.indexOf('}, var.config)'));
  return {
    'docker-compose.yml (api)': Object.keys(compose.services.api.environment),
    'docker-compose.yml (migrate)': Object.keys(compose.services.migrate.environment),
    'k8s/base ConfigMap': keysOf(base.configMapGenerator[0].literals),
    'k8s/overlays/local ConfigMap': keysOf(local.configMapGenerator[0].literals),
    'k8s/overlays/local Secret': keysOf((local.secretGenerator as Doc[]).find((g) => g.name === 'calendar-api-secrets').literals),
    'k8s/overlays/cloud/config.env': keysOf(readText('k8s/overlays/cloud/config.env').split('\n')),
    'k8s/overlays/cloud/secrets.env.example': keysOf(readText('k8s/overlays/cloud/secrets.env.example').split('\n')),
    'terraform/modules/app config': [...tfConfig.matchAll(/^\s+([A-Z][A-Z0-9_]*)\s*=/gm)].map((m) => m[1]!),
  };
}

describe('environment variables', () => {
  it('the config schema lists the variables the README promises', () => {
    expect(known).toEqual(expect.arrayContaining(['DATABASE_URL', 'CACHE_URL', 'JWT_SECRET', 'PORT', 'HOST', 'LOG_LEVEL', 'SHUTDOWN_GRACE_MS', 'MIGRATE_ON_START']));
  });

  it('every variable a deployment file sets is one the service reads', () => {
    for (const [file, names] of Object.entries(variablesSet())) {
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(`${file}: ${name} ${known.includes(name) ? 'is' : 'is not'} read by the service`).toBe(`${file}: ${name} is read by the service`);
    }
  });

  it('the deployments give the API its secrets and run migrations separately', () => {
    const set = variablesSet();
    for (const file of ['docker-compose.yml (api)', 'k8s/overlays/local Secret', 'k8s/overlays/cloud/secrets.env.example']) {
      expect(set[file]).toEqual(expect.arrayContaining(['DATABASE_URL', 'JWT_SECRET']));
    }
    expect(set['k8s/base ConfigMap']).toContain('MIGRATE_ON_START');
    expect(set['terraform/modules/app config']).toContain('MIGRATE_ON_START');
  });

  it.each(['README.md', 'docs/operations.md'])('%s documents every variable in its configuration table', (file) => {
    const text = readText(file);
    const table = text.slice(text.indexOf('## Configuration'));
    for (const name of known) expect(`${file}: ${name} ${table.includes(`\`${name}\``) ? 'documented' : 'missing'}`).toBe(`${file}: ${name} documented`);
  });
});
