// Every Terraform file parses as HCL (@cdktf/hcl2json), and the configuration is wired consistently:
// local module calls pass only declared variables and all required ones, module outputs and var./local.
// references exist, registry modules are pinned, secrets are sensitive outputs, and the AWS root uses
// every module while the local root deploys only the app.
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { Doc, exists, gitTracked, listFiles, readText } from './helpers';

const tfFiles = listFiles('terraform', (name) => name.endsWith('.tf'));
const exampleFiles = listFiles('terraform', (name) => name.endsWith('.tf.example'));
const parsed = new Map<string, Doc>();

beforeAll(async () => {
  for (const file of [...tfFiles, ...exampleFiles]) parsed.set(file, await parse(path.basename(file), readText(file)));
});

/** The blocks of one kind (module, variable, output, ...) of a directory's .tf files, by name. */
function blocks(dir: string, kind: string): Record<string, Doc> {
  const out: Record<string, Doc> = {};
  for (const file of tfFiles.filter((f) => path.dirname(f) === dir)) {
    for (const [name, list] of Object.entries((parsed.get(file)?.[kind] ?? {}) as Record<string, Doc[]>)) out[name] = list[0];
  }
  return out;
}
function localNames(dir: string): string[] {
  return tfFiles.filter((f) => path.dirname(f) === dir).flatMap((f) => ((parsed.get(f)?.locals ?? []) as Doc[]).flatMap((l) => Object.keys(l)));
}
const dirs = [...new Set(tfFiles.map((f) => path.dirname(f)))];
const moduleDirs = dirs.filter((d) => d.startsWith(path.join('terraform', 'modules')));
const rootDirs = dirs.filter((d) => d.startsWith(path.join('terraform', 'envs')));
const META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'depends_on', 'providers']);
const isLocalSource = (source: string): boolean => source.startsWith('./') || source.startsWith('../');
/** Directory text without comments, for reference scanning. */
const code = (dir: string): string =>
  tfFiles.filter((f) => path.dirname(f) === dir).map((f) => readText(f).replace(/^\s*(#|\/\/).*$/gm, '')).join('\n');

describe('terraform/', () => {
  it('has the AWS modules, the app module and the aws and local roots', () => {
    for (const m of ['vpc', 'eks', 'rds', 'elasticache', 'ecr', 'app']) expect(moduleDirs).toContain(path.join('terraform', 'modules', m));
    expect(rootDirs.sort()).toEqual([path.join('terraform', 'envs', 'aws'), path.join('terraform', 'envs', 'local')]);
  });

  it('every .tf file parses as HCL', async () => {
    expect(tfFiles.length).toBeGreaterThan(10);
    for (const file of tfFiles) await expect(parse(path.basename(file), readText(file))).resolves.toEqual(expect.any(Object));
  });

  it('rejects invalid HCL (the parser is live)', async () => {
    await expect(parse('broken.tf', 'resource "a" "b" {\n  x = \n')).rejects.toThrow();
  });

  it('has a remote state example for S3 and keeps state and variable values out of git', () => {
    const backend = parsed.get(path.join('terraform', 'envs', 'aws', 'backend.tf.example'));
    expect(Object.keys(backend?.terraform?.[0]?.backend ?? {})).toEqual(['s3']);
    const tracked = gitTracked('terraform');
    if (tracked !== undefined) {
      expect(tracked.filter((f) => /\.tfstate|\.tfvars$|\/\.terraform\//.test(f))).toEqual([]);
    }
  });

  it('each module has main.tf, variables.tf, outputs.tf and versions.tf, with described variables and outputs', () => {
    for (const dir of moduleDirs) {
      for (const file of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf']) expect(exists(path.join(dir, file))).toBe(true);
      for (const [name, v] of [...Object.entries(blocks(dir, 'variable')), ...Object.entries(blocks(dir, 'output'))]) {
        expect(`${dir} ${name}: ${typeof v.description}`).toBe(`${dir} ${name}: string`);
      }
    }
  });

  it('local module calls pass declared variables, all required ones, and read existing outputs', () => {
    for (const dir of dirs) {
      const calls = blocks(dir, 'module');
      for (const [callName, call] of Object.entries(calls)) {
        if (!isLocalSource(call.source)) {
          // Registry modules are pinned.
          expect(`${dir} module.${callName} version ${call.version ? 'pinned' : 'missing'}`).toBe(`${dir} module.${callName} version pinned`);
          continue;
        }
        const target = path.normalize(path.join(dir, call.source));
        expect(moduleDirs).toContain(target);
        const variables = blocks(target, 'variable');
        for (const arg of Object.keys(call).filter((a) => !META_ARGUMENTS.has(a))) {
          expect(`${dir} module.${callName}.${arg} is ${arg in variables ? 'a declared variable' : 'not a variable of the module'}`).toBe(`${dir} module.${callName}.${arg} is a declared variable`);
        }
        for (const [name, v] of Object.entries(variables)) {
          if (!('default' in v)) expect(`${dir} module.${callName} sets ${name}: ${name in call}`).toBe(`${dir} module.${callName} sets ${name}: true`);
        }
        const outputs = blocks(target, 'output');
        for (const m of code(dir).matchAll(new RegExp(`module\\.${callName}(?:\\[\\d+\\])?\\.(\\w+)`, 'g'))) {
          expect(`${dir} module.${callName}.${m[1]} is ${m[1] in outputs ? 'an output' : 'not an output of the module'}`).toBe(`${dir} module.${callName}.${m[1]} is an output`);
        }
      }
      for (const m of code(dir).matchAll(/\bmodule\.(\w+)/g)) expect(Object.keys(calls)).toContain(m[1]);
    }
  });

  it('every var. and local. reference is declared in its directory', () => {
    for (const dir of dirs) {
      const variables = Object.keys(blocks(dir, 'variable'));
      const locals = localNames(dir);
      for (const m of code(dir).matchAll(/\bvar\.(\w+)/g)) expect(`${dir} var.${m[1]} ${variables.includes(m[1]) ? 'declared' : 'undeclared'}`).toBe(`${dir} var.${m[1]} declared`);
      for (const m of code(dir).matchAll(/\blocal\.(\w+)/g)) expect(`${dir} local.${m[1]} ${locals.includes(m[1]) ? 'declared' : 'undeclared'}`).toBe(`${dir} local.${m[1]} declared`);
    }
  });

  it('marks outputs and variables that carry credentials as sensitive', () => {
    const secretName = /(url|password|token|secret)$/;
    for (const dir of dirs) {
      for (const [name, o] of Object.entries(blocks(dir, 'output'))) {
        if (secretName.test(name) && name !== 'repository_url' && name !== 'ecr_repository_url') expect(`${dir} output ${name} sensitive: ${o.sensitive}`).toBe(`${dir} output ${name} sensitive: true`);
      }
      for (const [name, v] of Object.entries(blocks(dir, 'variable'))) {
        if (secretName.test(name)) expect(`${dir} variable ${name} sensitive: ${v.sensitive}`).toBe(`${dir} variable ${name} sensitive: true`);
      }
    }
  });

  it('the AWS root uses every module; the local root deploys only the app to a kubeconfig context', () => {
    const aws = blocks(path.join('terraform', 'envs', 'aws'), 'module');
    expect(Object.values(aws).map((m) => path.basename(m.source)).sort()).toEqual(['app', 'ecr', 'eks', 'elasticache', 'rds', 'vpc']);
    const local = blocks(path.join('terraform', 'envs', 'local'), 'module');
    expect(Object.values(local).map((m) => path.basename(m.source))).toEqual(['app']);
    const provider = (blocks(path.join('terraform', 'envs', 'local'), 'provider').kubernetes as Doc) ?? {};
    expect(provider.config_context).toBe('${var.kube_context}');
    expect(Object.keys(blocks(path.join('terraform', 'envs', 'local'), 'provider'))).toEqual(['kubernetes']);
  });

  it('the app module creates the deployment, service, config map, secret, migration job and HPA', () => {
    const resources = Object.keys(blocks(path.join('terraform', 'modules', 'app'), 'resource'));
    for (const type of ['kubernetes_deployment_v1', 'kubernetes_service_v1', 'kubernetes_config_map_v1', 'kubernetes_secret_v1', 'kubernetes_job_v1', 'kubernetes_horizontal_pod_autoscaler_v2', 'kubernetes_pod_disruption_budget_v1']) {
      expect(resources).toContain(type);
    }
    const app = code(path.join('terraform', 'modules', 'app'));
    expect(app).toContain('command           = ["node", "dist/src/main.js"]');
    expect(app).toContain('command           = ["node", "dist/src/migrate.js"]');
    expect(app).toMatch(/path = "\/readyz"/);
    expect(app).toMatch(/path = "\/healthz"/);
  });
});
