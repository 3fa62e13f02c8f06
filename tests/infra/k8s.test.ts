// Every kustomization under k8s/ renders with `kubectl kustomize`, every rendered object validates
// against the Kubernetes OpenAPI schemas (kubernetes-models), and the objects fit together: probes,
// security, draining, selectors, references to ConfigMaps/Secrets/Services, data-store endpoints.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import * as models from 'kubernetes-models';
import { assertEntrypoint, Doc, findExecutable, gitIgnores, gitTracked, listFiles, readText, repoRoot } from './helpers';

const kubectl = findExecutable('kubectl', process.env.KUBECTL ? [process.env.KUBECTL] : []);
if (!kubectl) {
   
  console.warn('tests/infra/k8s.test.ts: kubectl not found on PATH (or $KUBECTL): skipping the kustomize rendering tests.');
}
const describeWithKubectl = kubectl ? describe : describe.skip;

type Model = new (data: Doc) => { validate(): void };

/** The kubernetes-models class of an apiVersion/kind, e.g. apps/v1 Deployment → models.apps.v1.Deployment. */
function modelFor(apiVersion: string, kind: string): Model | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const all = models as unknown as Record<string, Record<string, unknown>>;
  // Core group: models.v1.<Kind>; others: models.<camelCased group>.<version>.<Kind>.
  const versions = group === '' ? { [version]: all[version] } : all[group.split('.').map((p, i) => (i ? p[0].toUpperCase() + p.slice(1) : p)).join('')];
  const kinds = versions?.[version] as Record<string, unknown> | undefined;
  const model = kinds?.[kind];
  return typeof model === 'function' ? (model as Model) : undefined;
}

/** Kustomizations (not Components) under k8s/, as directories relative to the repository root. */
function kustomizationDirs(): string[] {
  return listFiles('k8s', (name) => name === 'kustomization.yaml')
    .filter((file) => (parseYaml(readText(file)) as Doc).kind !== 'Component')
    .map((file) => path.dirname(file));
}

let staged = '';

beforeAll(() => {
  if (!kubectl) return;
  // Render a copy in which every *.env.example stands in for its git-ignored *.env (e.g. the cloud
  // overlay's secrets.env), so that the templates are what is tested and local secrets are never read.
  staged = fs.mkdtempSync(path.join(os.tmpdir(), 'calendar-k8s-'));
  fs.cpSync(path.join(repoRoot, 'k8s'), path.join(staged, 'k8s'), { recursive: true });
  for (const example of listFiles('k8s', (name) => name.endsWith('.env.example'))) {
    fs.copyFileSync(path.join(repoRoot, example), path.join(staged, example.replace(/\.example$/, '')));
  }
});

afterAll(() => {
  if (staged) fs.rmSync(staged, { recursive: true, force: true });
});

function render(dir: string): Doc[] {
  const out = execFileSync(kubectl as string, ['kustomize', path.join(staged, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out)
    .map((doc) => {
      if (doc.errors.length) throw doc.errors[0];
      return doc.toJSON() as Doc;
    })
    .filter((obj) => obj !== null);
}

const byKind = (objects: Doc[], kind: string): Doc[] => objects.filter((o) => o.kind === kind);
function one(objects: Doc[], kind: string, namePrefix: string): Doc {
  const found = objects.filter((o) => o.kind === kind && (o.metadata.name === namePrefix || o.metadata.name.startsWith(`${namePrefix}-`)));
  expect(found.map((o) => `${o.kind}/${o.metadata.name}`)).toHaveLength(1);
  return found[0];
}
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}): boolean =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
const decode = (secret: Doc, key: string): string | undefined =>
  secret.data?.[key] !== undefined ? Buffer.from(secret.data[key], 'base64').toString('utf8') : secret.stringData?.[key];

/** Minimal shape check of a Prometheus Operator ServiceMonitor (a CRD: no schema in kubernetes-models). */
function checkServiceMonitor(obj: Doc, objects: Doc[]): void {
  expect(obj.apiVersion).toBe('monitoring.coreos.com/v1');
  expect(typeof obj.metadata?.name).toBe('string');
  const selector = obj.spec?.selector?.matchLabels as Record<string, string>;
  expect(selector).toEqual(expect.any(Object));
  expect(Array.isArray(obj.spec.endpoints) && obj.spec.endpoints.length > 0).toBe(true);
  const services = byKind(objects, 'Service').filter((s) => matches(selector, s.metadata.labels));
  expect(services.length).toBeGreaterThan(0);
  for (const endpoint of obj.spec.endpoints as Doc[]) {
    expect(endpoint.path).toBe('/metrics');
    for (const service of services) {
      expect((service.spec.ports as Doc[]).map((p) => p.name)).toContain(endpoint.port);
    }
  }
}

function validateObject(obj: Doc, objects: Doc[]): void {
  const id = `${obj.apiVersion} ${obj.kind} ${obj.metadata?.name}`;
  if (typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('monitoring.coreos.com/')) {
    expect(obj.kind).toBe('ServiceMonitor');
    checkServiceMonitor(obj, objects);
    return;
  }
  const Model = modelFor(obj.apiVersion, obj.kind);
  if (!Model) throw new Error(`No Kubernetes schema for ${id}`);
  // kustomize wraps long base64 values over several lines; the API server's decoder skips the line
  // breaks, the schema's "byte" format does not.
  const data = obj.kind === 'Secret' && obj.data ? { ...obj, data: Object.fromEntries(Object.entries(obj.data as Record<string, string>).map(([k, v]) => [k, v.replace(/\s+/g, '')])) } : obj;
  try {
    new Model(data).validate();
  } catch (error) {
    throw new Error(`${id} does not validate: ${(error as Error).message}`, { cause: error });
  }
}

/** Names of the ConfigMaps and Secrets a pod template uses. */
function podReferences(podSpec: Doc): { configMaps: string[]; secrets: string[] } {
  const configMaps: string[] = [];
  const secrets: string[] = [];
  for (const c of [...(podSpec.initContainers ?? []), ...podSpec.containers] as Doc[]) {
    for (const from of (c.envFrom ?? []) as Doc[]) {
      if (from.configMapRef) configMaps.push(from.configMapRef.name);
      if (from.secretRef) secrets.push(from.secretRef.name);
    }
    for (const env of (c.env ?? []) as Doc[]) {
      if (env.valueFrom?.configMapKeyRef) configMaps.push(env.valueFrom.configMapKeyRef.name);
      if (env.valueFrom?.secretKeyRef) secrets.push(env.valueFrom.secretKeyRef.name);
    }
  }
  for (const v of (podSpec.volumes ?? []) as Doc[]) {
    if (v.configMap) configMaps.push(v.configMap.name);
    if (v.secret) secrets.push(v.secret.secretName);
  }
  return { configMaps, secrets };
}

/** Checks of the calendar API objects that hold in the base and in every overlay. */
function checkApi(objects: Doc[], opts: { secretsProvided: boolean }): void {
  const deployment = one(objects, 'Deployment', 'calendar-api');
  const pod = deployment.spec.template.spec;
  const api = (pod.containers as Doc[]).find((c) => c.name === 'api');
  expect(api).toBeDefined();

  // Availability and load balancing.
  expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
  expect(deployment.spec.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
  expect(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);

  // Command and probes.
  expect(api.command).toEqual(['node', 'dist/src/main.js']);
  assertEntrypoint(api.command[1]);
  const portNames = (api.ports as Doc[]).map((p) => p.name);
  expect(api.readinessProbe.httpGet.path).toBe('/readyz');
  expect(api.livenessProbe.httpGet.path).toBe('/healthz');
  for (const probe of [api.readinessProbe, api.livenessProbe, api.startupProbe].filter(Boolean)) {
    expect(portNames).toContain(probe.httpGet.port);
  }
  expect(api.resources.requests).toEqual(expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }));
  expect(api.resources.limits.memory).toBeDefined();

  // Security: non-root, read-only root filesystem, only /tmp writable (an emptyDir).
  expect(pod.securityContext.runAsNonRoot).toBe(true);
  expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
  expect(api.securityContext.readOnlyRootFilesystem).toBe(true);
  expect(api.securityContext.allowPrivilegeEscalation).toBe(false);
  const tmpMount = (api.volumeMounts as Doc[]).find((m) => m.mountPath === '/tmp');
  expect(tmpMount).toBeDefined();
  expect((pod.volumes as Doc[]).find((v) => v.name === tmpMount.name)?.emptyDir).toBeDefined();

  // Draining: preStop sleep, then SIGTERM with SHUTDOWN_GRACE_MS to finish in-flight requests, all
  // within terminationGracePeriodSeconds.
  const preStop = api.lifecycle?.preStop;
  expect(preStop).toBeDefined();
  const sleepSeconds = Number(preStop.sleep?.seconds ?? preStop.exec?.command?.at(-1));
  expect(sleepSeconds).toBeGreaterThan(0);
  const config = byKind(objects, 'ConfigMap').find((c) => c.metadata.name.startsWith('calendar-api-config'));
  expect(config).toBeDefined();
  const graceMs = Number(config.data.SHUTDOWN_GRACE_MS);
  expect(graceMs).toBeGreaterThan(0);
  expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(sleepSeconds + graceMs / 1000);
  // The migration Job applies migrations; replicas must not race to do it at start.
  expect(config.data.MIGRATE_ON_START).toBe('false');

  // Migration Job.
  const job = one(objects, 'Job', 'calendar-api-migrate');
  const migrate = job.spec.template.spec.containers[0];
  expect(migrate.command).toEqual(['node', 'dist/src/migrate.js']);
  assertEntrypoint(migrate.command[1]);
  expect(migrate.image).toBe(api.image);
  expect(job.spec.template.spec.restartPolicy).toBe('Never');
  expect(job.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
  expect(migrate.securityContext.readOnlyRootFilesystem).toBe(true);

  // References to ConfigMaps and Secrets resolve to rendered objects (the base leaves the Secret to
  // the overlays).
  const names = (kind: string): string[] => byKind(objects, kind).map((o) => o.metadata.name);
  for (const spec of [pod, job.spec.template.spec]) {
    const refs = podReferences(spec);
    for (const name of refs.configMaps) expect(names('ConfigMap')).toContain(name);
    if (opts.secretsProvided) for (const name of refs.secrets) expect(names('Secret')).toContain(name);
  }

  // Service → pods, Ingress → Service.
  const service = one(objects, 'Service', 'calendar-api');
  expect(matches(service.spec.selector, deployment.spec.template.metadata.labels)).toBe(true);
  for (const port of service.spec.ports as Doc[]) expect(portNames).toContain(port.targetPort);
  const ingress = one(objects, 'Ingress', 'calendar-api');
  const paths = (ingress.spec.rules as Doc[]).flatMap((r) => r.http.paths as Doc[]);
  expect(paths.some((p) => p.path === '/' && p.backend.service.name === 'calendar-api')).toBe(true);
  for (const p of paths) {
    const backend = p.backend.service;
    if (backend.port.name === 'use-annotation') {
      // AWS Load Balancer Controller action, defined in an annotation of the same name.
      expect(ingress.metadata.annotations?.[`alb.ingress.kubernetes.io/actions.${backend.name}`]).toBeDefined();
      continue;
    }
    const target = byKind(objects, 'Service').find((s) => s.metadata.name === backend.name);
    expect(target).toBeDefined();
    expect((target.spec.ports as Doc[]).some((sp) => sp.name === backend.port.name || sp.port === backend.port.number)).toBe(true);
  }

  // Autoscaling and disruption budget.
  const hpa = one(objects, 'HorizontalPodAutoscaler', 'calendar-api');
  expect(hpa.apiVersion).toBe('autoscaling/v2');
  expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
  expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
  expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
  const pdb = one(objects, 'PodDisruptionBudget', 'calendar-api');
  expect(matches(pdb.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
  if (typeof pdb.spec.minAvailable === 'number') expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
}

/** All namespaced objects of an overlay are in its namespace. */
function checkNamespace(objects: Doc[]): string {
  const namespaces = byKind(objects, 'Namespace');
  expect(namespaces).toHaveLength(1);
  const ns = namespaces[0].metadata.name as string;
  for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect(`${o.kind}/${o.metadata.name} in ${o.metadata.namespace}`).toBe(`${o.kind}/${o.metadata.name} in ${ns}`);
  return ns;
}

/** The host of a URL is a Service rendered in the overlay (short or namespace-qualified name). */
function expectServiceHost(url: string, objects: Doc[], ns: string): Doc {
  const host = new URL(url).hostname;
  const service = byKind(objects, 'Service').find((s) => [s.metadata.name, `${s.metadata.name}.${ns}`, `${s.metadata.name}.${ns}.svc.cluster.local`].includes(host));
  if (!service) throw new Error(`${url}: no Service named ${host} in the overlay`);
  expect((service.spec.ports as Doc[]).map((p) => p.port)).toContain(Number(new URL(url).port));
  return service;
}

describe('k8s layout', () => {
  it('has a base and the local and cloud overlays', () => {
    expect(kustomizationDirs()).toEqual(expect.arrayContaining(['k8s/base', 'k8s/overlays/local', 'k8s/overlays/cloud']));
  });

  it('keeps real secrets out of git: secrets.env files are ignored and only their templates are tracked', () => {
    expect(fs.existsSync(path.join(repoRoot, 'k8s/overlays/cloud/secrets.env.example'))).toBe(true);
    const ignored = gitIgnores('k8s/overlays/cloud/secrets.env');
    if (ignored !== undefined) expect(ignored).toBe(true);
    const tracked = gitTracked('k8s/**/secrets.env');
    if (tracked !== undefined) expect(tracked).toEqual([]);
    const example = readText('k8s/overlays/cloud/secrets.env.example');
    const keys = example.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=')[0]);
    expect(keys.sort()).toEqual(['CACHE_URL', 'DATABASE_URL', 'JWT_SECRET']);
    // A template: no values.
    for (const line of example.split('\n').filter((l) => /^[A-Z_]+=/.test(l))) expect(line).toMatch(/^[A-Z_]+=$/);
  });
});

describeWithKubectl('kubectl kustomize', () => {
  const dirs = kustomizationDirs();

  it.each(dirs)('%s renders and every object validates against the Kubernetes schemas', (dir) => {
    const objects = render(dir);
    expect(objects.length).toBeGreaterThan(0);
    for (const obj of objects) validateObject(obj, objects);
  });

  it('base: API Deployment, Service, Ingress, HPA, PDB, ConfigMap and migration Job fit together', () => {
    checkApi(render('k8s/base'), { secretsProvided: false });
  });

  it('local overlay: in-cluster PostgreSQL StatefulSet and Redis that the API secret points to', () => {
    const objects = render('k8s/overlays/local');
    checkApi(objects, { secretsProvided: true });
    const ns = checkNamespace(objects);
    const statefulSet = one(objects, 'StatefulSet', 'postgres');
    expect(statefulSet.spec.template.spec.containers[0].image).toMatch(/^postgres:16/);
    expect(statefulSet.spec.volumeClaimTemplates).toHaveLength(1);
    const redis = one(objects, 'Deployment', 'redis');
    expect(redis.spec.template.spec.containers[0].image).toMatch(/^redis:7/);
    const secret = one(objects, 'Secret', 'calendar-api-secrets');
    const pgService = expectServiceHost(decode(secret, 'DATABASE_URL') as string, objects, ns);
    expect(matches(pgService.spec.selector, statefulSet.spec.template.metadata.labels)).toBe(true);
    const redisService = expectServiceHost(decode(secret, 'CACHE_URL') as string, objects, ns);
    expect(matches(redisService.spec.selector, redis.spec.template.metadata.labels)).toBe(true);
    expect((decode(secret, 'JWT_SECRET') ?? '').length).toBeGreaterThanOrEqual(32);
    // The database password in DATABASE_URL is the one PostgreSQL is initialised with.
    const pgSecretName = statefulSet.spec.template.spec.containers[0].envFrom[0].secretRef.name;
    const pgSecret = byKind(objects, 'Secret').find((s) => s.metadata.name === pgSecretName);
    const url = new URL(decode(secret, 'DATABASE_URL') as string);
    expect(url.password).toBe(decode(pgSecret, 'POSTGRES_PASSWORD'));
    expect(url.username).toBe(decode(pgSecret, 'POSTGRES_USER'));
    expect(url.pathname).toBe(`/${decode(pgSecret, 'POSTGRES_DB')}`);
    for (const workload of [statefulSet, redis]) expect(workload.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
  });

  it('cloud overlay: managed endpoints from the secret, no in-cluster data stores, load balancer, ServiceMonitor', () => {
    const objects = render('k8s/overlays/cloud');
    checkApi(objects, { secretsProvided: true });
    checkNamespace(objects);
    expect(byKind(objects, 'StatefulSet')).toHaveLength(0);
    expect(objects.filter((o) => o.metadata.name === 'postgres' || o.metadata.name === 'redis')).toHaveLength(0);
    const ingress = one(objects, 'Ingress', 'calendar-api');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/readyz');
    // /metrics is not served to the internet.
    const metricsPath = (ingress.spec.rules[0].http.paths as Doc[]).find((p) => p.path === '/metrics');
    expect(metricsPath?.backend.service.name).not.toBe('calendar-api');
    expect(byKind(objects, 'ServiceMonitor')).toHaveLength(1);
    expect(one(objects, 'Deployment', 'calendar-api').spec.replicas).toBeGreaterThanOrEqual(3);
  });

  it('rejects a manifest that breaks the schema (the validation is live)', () => {
    const objects = render('k8s/base');
    const broken = structuredClone(one(objects, 'Deployment', 'calendar-api'));
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => validateObject(broken, objects)).toThrow(/containerPort/);
    expect(() => validateObject({ apiVersion: 'example.com/v1', kind: 'Unknown', metadata: { name: 'x' } }, objects)).toThrow(/No Kubernetes schema/);
  });
});
