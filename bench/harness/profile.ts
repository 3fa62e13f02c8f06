import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function's code lives: an npm package, Node itself, the service's own code, or a V8 pseudo-frame. */
function categoryOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node core';
  const own = /dist\/((?:src|bench)\/(?:modules\/[^/]+|[^/]+))/.exec(url);
  return own ? own[1]! : url;
}

/**
 * Time of a CPU profile by package (or own module) and by function, as percentages of the non-idle
 * time, the largest first. `self`: time in a package's own frames; `inclusive`: time with one of its
 * frames anywhere on the stack (so it includes what it calls, e.g. the ORM's share includes pg's).
 */
export function summarizeProfile(file: string, top = 15): { categories: [string, number, number][]; functions: [string, number][]; busyMs: number } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const category = categoryOf(url, functionName);
    self.set(category, (self.get(category) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${category}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.functionName !== '(root)') onStack.add(categoryOf(frame.url, frame.functionName));
    }
    for (const c of onStack) inclusive.set(c, (inclusive.get(c) ?? 0) + us);
  }
  const pct = (us: number) => (100 * us) / busy;
  return {
    categories: [...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => [k, pct(us), pct(inclusive.get(k) ?? us)]),
    functions: [...functions].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => [k, pct(us)]),
    busyMs: busy / 1000,
  };
}

/** {@link summarizeProfile} as Markdown lines. */
export function formatProfile(file: string): string[] {
  const { categories, functions, busyMs } = summarizeProfile(file);
  return [
    `Profile ${file}: ${(busyMs / 1000).toFixed(1)} s of CPU (idle excluded).`,
    '',
    '| package or module | self % | inclusive % |',
    '|---|---:|---:|',
    ...categories.map(([k, self, incl]) => `| ${k} | ${self.toFixed(1)} | ${incl.toFixed(1)} |`),
    '',
    'Top functions (self time):',
    '',
    ...functions.map(([k, p]) => `- ${p.toFixed(1)}% ${k}`),
  ];
}
