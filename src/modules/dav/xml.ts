import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../../infra/errors';

/**
 * The WebDAV XML layer (RFC 4918 §14, RFC 4791 §9, RFC 6578 §6): request bodies parsed by
 * fast-xml-parser into namespace-resolved elements, and response trees built back into XML. Pure.
 *
 * Safety: a body that declares a DTD (`<!DOCTYPE`, so also `<!ENTITY`) is refused before parsing, so
 * neither entity expansion ("billion laughs") nor external entities can happen; only the five
 * predefined entities and character references are decoded. Bodies over {@link MAX_XML_BYTES} and
 * nesting deeper than {@link MAX_XML_DEPTH} are refused too.
 */

/** Namespaces of the properties and elements this server speaks. */
export const NS = {
  DAV: 'DAV:',
  CALDAV: 'urn:ietf:params:xml:ns:caldav',
  /** calendarserver.org extensions: getctag. */
  CS: 'http://calendarserver.org/ns/',
  /** Apple's iCal extensions: calendar-color, calendar-order. */
  ICAL: 'http://apple.com/ns/ical/',
  /** This service's own precondition elements (RFC 4918 §16 allows any namespace). */
  SERVICE: 'urn:x-calendar-service:dav',
} as const;

/** Default 1 MiB: the largest XML request body accepted (multiget of thousands of hrefs fits). */
export const MAX_XML_BYTES = 1_048_576;
/** Default 64: deeper nesting is refused (calendar-query filters nest 4 to 6 levels). */
export const MAX_XML_DEPTH = 64;

/** A parsed element: `ns` is the namespace URI ('' for none), `name` the local name. */
export interface XmlElement {
  ns: string;
  name: string;
  /** Attributes without namespace declarations, by local name. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside the element (CDATA included), untrimmed. */
  text: string;
}

const PREFIXES: Record<string, string> = { [NS.DAV]: 'd', [NS.CALDAV]: 'c', [NS.CS]: 'cs', [NS.ICAL]: 'ical', [NS.SERVICE]: 's' };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Predefined entities and character references only: DTDs are refused before parsing.
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_XML_DEPTH,
});

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

/**
 * Parses a WebDAV request body into its root element with every name resolved to its namespace
 * (`xmlns` and `xmlns:p` declarations, scoped as XML Namespaces 1.0 says).
 * @throws AppError 413 over {@link MAX_XML_BYTES}; 400 when the body is empty, declares a DTD, is not
 *   well-formed (the message names line and column), nests too deep or uses an undeclared prefix.
 */
export function parseXml(body: string | Buffer): XmlElement {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (Buffer.byteLength(text) > MAX_XML_BYTES) throw new AppError('payload_too_large', `an XML body may be at most ${MAX_XML_BYTES} bytes`);
  if (text.trim() === '') throw AppError.invalid('/body', 'the XML body is empty');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw AppError.invalid('/body', 'XML with a document type declaration (DTD or entities) is not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw AppError.invalid('/body', `malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  let tree: Ordered[];
  try {
    tree = parser.parse(text) as Ordered[];
  } catch (err) {
    throw AppError.invalid('/body', `malformed XML: ${(err as Error).message}`);
  }
  const roots = tree.map((n) => toElement(n, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]))).filter((e): e is XmlElement => e !== null);
  if (roots.length !== 1) throw AppError.invalid('/body', 'an XML body has exactly one root element');
  return roots[0]!;
}

function toElement(node: Ordered, scope: Map<string, string>): XmlElement | null {
  const qname = Object.keys(node).find((k) => k !== ':@');
  if (!qname || qname === '#text') return null;
  const attrs = node[':@'] ?? {};
  let inner = scope;
  const own: Record<string, string> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) {
      if (inner === scope) inner = new Map(scope);
      inner.set(key === 'xmlns' ? '' : key.slice(6), String(value));
    }
  }
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) continue;
    own[key.includes(':') ? key.slice(key.indexOf(':') + 1) : key] = String(value);
  }
  const colon = qname.indexOf(':');
  const prefix = colon >= 0 ? qname.slice(0, colon) : '';
  const ns = inner.get(prefix);
  if (ns === undefined && prefix !== '') throw AppError.invalid('/body', `XML prefix "${prefix}" is not declared`);
  const element: XmlElement = { ns: ns ?? '', name: colon >= 0 ? qname.slice(colon + 1) : qname, attrs: own, children: [], text: '' };
  for (const child of (node[qname] as Ordered[]) ?? []) {
    if ('#text' in child) element.text += String(child['#text']);
    else {
      const el = toElement(child, inner);
      if (el) element.children.push(el);
    }
  }
  return element;
}

/** True when `el` is `{ns}name`. */
export function is(el: XmlElement | undefined, ns: string, name: string): boolean {
  return !!el && el.ns === ns && el.name === name;
}

/** The first child `{ns}name` of `el`. */
export function child(el: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.ns === ns && c.name === name);
}

/** Every child `{ns}name` of `el`. */
export function childrenOf(el: XmlElement | undefined, ns: string, name: string): XmlElement[] {
  return el?.children.filter((c) => c.ns === ns && c.name === name) ?? [];
}

/** An element to write: `text` and `children` exclude each other. */
export interface XmlNode {
  ns: string;
  name: string;
  attrs?: Record<string, string>;
  children?: XmlNode[];
  text?: string;
}

/** Shorthand for an {@link XmlNode}. */
export function el(ns: string, name: string, content?: XmlNode[] | string, attrs?: Record<string, string>): XmlNode {
  return typeof content === 'string' ? { ns, name, text: content, attrs } : { ns, name, children: content, attrs };
}

const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', suppressEmptyNode: true, processEntities: true });

/**
 * Serialises a response tree (UTF-8, with an XML declaration). Known namespaces get fixed prefixes
 * declared on the root (`d:` DAV, `c:` CalDAV, `cs:`, `ical:`, `s:`); any other namespace (an unknown
 * property a client asked for) is declared where it is used. Text is escaped.
 */
export function buildXml(root: XmlNode): string {
  const used = new Set<string>();
  collectNamespaces(root, used);
  const decls: Record<string, string> = {};
  for (const ns of used) if (PREFIXES[ns]) decls[`xmlns:${PREFIXES[ns]}`] = ns;
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build([toOrdered(root, decls)])}`;
}

function collectNamespaces(node: XmlNode, into: Set<string>): void {
  into.add(node.ns);
  for (const c of node.children ?? []) collectNamespaces(c, into);
}

function toOrdered(node: XmlNode, extraAttrs: Record<string, string> = {}): Ordered {
  const prefix = PREFIXES[node.ns];
  const attrs: Record<string, string> = { ...extraAttrs, ...node.attrs };
  let qname: string;
  if (prefix) qname = `${prefix}:${node.name}`;
  else if (node.ns) {
    qname = `x:${node.name}`;
    attrs['xmlns:x'] = node.ns;
  } else qname = node.name;
  const content: Ordered[] = node.text !== undefined ? [{ '#text': node.text }] : (node.children ?? []).map((c) => toOrdered(c));
  const out: Ordered = { [qname]: content };
  if (Object.keys(attrs).length > 0) out[':@'] = attrs;
  return out;
}
