// Monitoring files parse and use the metric names the API exports (prom-client): the Grafana dashboard
// covers request rate, p99 latency per route, GraphQL operations, cache hit ratio and the DB pool;
// the scrape configurations match the annotations and ports of the manifests.
import { parse as parseYaml } from 'yaml';
import { Doc, listFiles, readText } from './helpers';

const dashboardFiles = listFiles('monitoring/grafana/dashboards', (name) => name.endsWith('.json'));
const dashboard = JSON.parse(readText('monitoring/grafana/dashboards/calendar-api.json')) as Doc;
const panels = (dashboard.panels as Doc[]).filter((p) => p.type !== 'row');
const exprs = (panel: Doc): string[] => ((panel.targets ?? []) as Doc[]).map((t) => String(t.expr));
const allExprs = panels.flatMap(exprs).join('\n');

describe('monitoring/', () => {
  it('every dashboard is valid JSON with unique panel ids and a stable uid', () => {
    expect(dashboardFiles.length).toBeGreaterThan(0);
    for (const file of dashboardFiles) {
      const d = JSON.parse(readText(file)) as Doc;
      expect(typeof d.uid).toBe('string');
      const ids = (d.panels as Doc[]).map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('the dashboard shows request rate, p99 latency per route, GraphQL operations, cache hit ratio and DB pool', () => {
    const find = (re: RegExp): Doc[] => panels.filter((p) => exprs(p).some((e) => re.test(e)));
    expect(find(/rate\(http_request_duration_seconds_count\b.*by \(.*route|sum by \([^)]*route[^)]*\) \(rate\(http_request_duration_seconds_count/).length).toBeGreaterThan(0);
    expect(find(/histogram_quantile\(0\.99, sum by \([^)]*\broute\b[^)]*\) \(rate\(http_request_duration_seconds_bucket/).length).toBeGreaterThan(0);
    expect(find(/graphql_operation_duration_seconds_count/).length).toBeGreaterThan(0);
    expect(find(/graphql_operation_duration_seconds_bucket/).length).toBeGreaterThan(0);
    expect(find(/cache_hits_total.*\/.*cache_misses_total/s).length).toBeGreaterThan(0);
    expect(find(/db_pool_/).length).toBeGreaterThan(0);
    // Labels the API uses on its metrics.
    expect(allExprs).toMatch(/\bstatus_code\b/);
    expect(allExprs).toMatch(/\boperation_name\b/);
  });

  it('every panel queries the provisioned data source through the dashboard variable', () => {
    const provisioned = parseYaml(readText('monitoring/grafana/provisioning/datasources/prometheus.yml')) as Doc;
    const variable = (dashboard.templating.list as Doc[]).find((v) => v.type === 'datasource');
    expect(variable.query).toBe(provisioned.datasources[0].type);
    for (const panel of panels) expect(panel.datasource.uid).toBe(`\${${variable.name}}`);
  });

  it('alert rules parse and use the exported metrics', () => {
    for (const file of listFiles('monitoring/prometheus/rules', (name) => name.endsWith('.yml'))) {
      const rules = (parseYaml(readText(file)) as Doc).groups.flatMap((g: Doc) => g.rules as Doc[]);
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) expect(typeof rule.alert === 'string' && typeof rule.expr === 'string').toBe(true);
    }
  });

  it('the Kubernetes scrape config matches the pod annotations and labels of the Deployment', () => {
    const deployment = parseYaml(readText('k8s/base/deployment.yaml')) as Doc;
    const annotations = deployment.spec.template.metadata.annotations as Record<string, string>;
    expect(annotations['prometheus.io/scrape']).toBe('true');
    expect(annotations['prometheus.io/path']).toBe('/metrics');
    const port = Number(annotations['prometheus.io/port']);
    expect(deployment.spec.template.spec.containers[0].ports.map((p: Doc) => p.containerPort)).toContain(port);
    const scrape = parseYaml(readText('monitoring/prometheus/kubernetes-scrape.yml')) as Doc;
    const relabels = scrape.scrape_configs[0].relabel_configs as Doc[];
    const keep = relabels.find((r) => r.source_labels[0] === '__meta_kubernetes_pod_label_app_kubernetes_io_name');
    // The base kustomization labels every object with app.kubernetes.io/name.
    const kustomization = parseYaml(readText('k8s/base/kustomization.yaml')) as Doc;
    expect(keep.regex).toBe(kustomization.labels[0].pairs['app.kubernetes.io/name']);
    expect(relabels.some((r) => r.source_labels.includes('__meta_kubernetes_pod_annotation_prometheus_io_port'))).toBe(true);
  });
});
