import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** One response the app sent through `app.inject` in a test. */
export interface RecordedResponse {
  method: string;
  url: string;
  status: number;
  contentType: string | undefined;
  body: string;
}

interface Doc {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
  [key: string]: unknown;
}

/** Matches a request path to the document's path template that has the most literal segments. */
function templateOf(paths: string[], pathname: string): string | undefined {
  const segments = pathname.split('/');
  let best: { path: string; literals: number } | undefined;
  for (const path of paths) {
    const parts = path.split('/');
    if (parts.length !== segments.length) continue;
    let literals = 0;
    const fits = parts.every((p, i) => {
      if (p.startsWith('{')) return segments[i] !== '';
      literals++;
      return p === decodeURIComponent(segments[i] ?? '');
    });
    if (fits && (!best || literals > best.literals)) best = { path, literals };
  }
  return best?.path;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Checks responses against an OpenAPI 3.1 document: each must have a documented status (or a
 * `default`), a documented media type (none for an empty body), and a body valid against that
 * media type's schema (JSON bodies; JSON Schema 2020-12, formats checked). Requests to paths or
 * methods the document does not have (hidden routes such as /graphql, unknown routes) are skipped.
 * @returns one message per mismatch; empty when every response matches.
 */
export function checkResponses(doc: Doc, responses: readonly RecordedResponse[]): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv, { mode: 'full' });
  ajv.addFormat('time-zone', true);
  ajv.addSchema({ ...doc, $id: 'openapi.json' } as object);
  const validators = new Map<string, ValidateFunction>();
  const paths = Object.keys(doc.paths);
  const problems: string[] = [];
  for (const r of responses) {
    const [pathname] = r.url.split('?');
    const template = templateOf(paths, pathname!);
    const method = r.method.toLowerCase();
    const op = template ? doc.paths[template]?.[method] : undefined;
    if (!template || !op) continue;
    const where = `${r.method} ${template} → ${r.status}`;
    const key = op.responses?.[String(r.status)] ? String(r.status) : op.responses?.[`${String(r.status)[0]}XX`] ? `${String(r.status)[0]}XX` : op.responses?.default ? 'default' : undefined;
    if (!key) {
      problems.push(`${where}: status not documented`);
      continue;
    }
    const content = op.responses![key]!.content;
    const mediaType = r.contentType?.split(';')[0]?.trim();
    if (!r.body) {
      if (content && Object.keys(content).length > 0 && r.status !== 204 && r.status !== 304) problems.push(`${where}: empty body, documented as ${Object.keys(content).join(', ')}`);
      continue;
    }
    if (!content || !mediaType || !content[mediaType]) {
      problems.push(`${where}: sent ${mediaType ?? 'no content type'}, documented ${content ? Object.keys(content).join(', ') : 'no body'}`);
      continue;
    }
    if (!content[mediaType]!.schema || !/json/.test(mediaType)) continue;
    const ref = `openapi.json#/${pointer('paths', template, method, 'responses', key, 'content', mediaType, 'schema')}`;
    let validate = validators.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      validators.set(ref, validate);
    }
    if (!validate(JSON.parse(r.body))) {
      problems.push(`${where} (${mediaType}): ${ajv.errorsText(validate.errors)} in ${r.body.slice(0, 300)}`);
    }
  }
  return [...new Set(problems)];
}
