import { child, el, NS, type XmlElement, type XmlNode } from './xml';
import { hrefs } from './dav.paths';

/**
 * WebDAV properties (RFC 4918 §15, RFC 4791 §5.2 and §6, RFC 5397, RFC 6578 §4, RFC 3744 §5.4) of
 * the resources of the DAV space, and the PROPFIND multistatus built from them. Pure: the routes load
 * the data, this shapes it.
 */

/** The user a DAV request is made as. */
export interface DavUser {
  id: string;
  name: string;
  email: string;
}

/** A calendar as a collection. */
export interface DavCalendar {
  id: string;
  name: string;
  description: string | null;
  timeZone: string;
  /** VTIMEZONE of `timeZone` (RFC 4791 §5.2.2 calendar-timezone), or null when unknown. */
  vtimezone: string | null;
  /** RFC 6578 sync token (a URI); also the CTag. */
  syncToken: string;
}

/** A resource of the DAV space with what its properties are made of. */
export type DavResource =
  | { kind: 'root'; user: DavUser }
  | { kind: 'principal'; user: DavUser }
  | { kind: 'home'; user: DavUser }
  | { kind: 'calendar'; user: DavUser; calendar: DavCalendar }
  | { kind: 'object'; user: DavUser; calendarId: string; name: string; etag: string; lastModified: Date; ics?: string };

/** `{ns}name` of a property. */
export interface PropName {
  ns: string;
  name: string;
}

/** Largest calendar object accepted by PUT, in bytes (RFC 4791 §5.2.5 max-resource-size). */
export const MAX_RESOURCE_BYTES = 256 * 1024;

const PRIVILEGES = ['read', 'write', 'write-properties', 'write-content', 'bind', 'unbind', 'read-current-user-privilege-set'];

/** The href of a resource. */
export function hrefOf(r: DavResource): string {
  switch (r.kind) {
    case 'root':
      return hrefs.root();
    case 'principal':
      return hrefs.principal(r.user.id);
    case 'home':
      return hrefs.home(r.user.id);
    case 'calendar':
      return hrefs.calendar(r.user.id, r.calendar.id);
    case 'object':
      return hrefs.object(r.user.id, r.calendarId, r.name);
  }
}

const href = (h: string) => el(NS.DAV, 'href', h);

/** The value of property `p` of `r` (children or text), or undefined when the resource has none. */
export function propertyValue(r: DavResource, p: PropName): XmlNode[] | string | undefined {
  const key = `${p.ns}|${p.name}`;
  const principal = hrefs.principal(r.user.id);
  const common: Record<string, () => XmlNode[] | string> = {
    [`${NS.DAV}|current-user-principal`]: () => [href(principal)],
    [`${NS.DAV}|principal-collection-set`]: () => [href(`${hrefs.root()}principals/`)],
  };
  const byKind: Record<string, () => XmlNode[] | string> = (() => {
    switch (r.kind) {
      case 'root':
        return {
          [`${NS.DAV}|resourcetype`]: () => [el(NS.DAV, 'collection', [])],
          [`${NS.DAV}|displayname`]: () => 'Calendars',
        };
      case 'principal':
        return {
          [`${NS.DAV}|resourcetype`]: () => [el(NS.DAV, 'principal', [])],
          [`${NS.DAV}|displayname`]: () => r.user.name,
          [`${NS.DAV}|principal-URL`]: () => [href(principal)],
          [`${NS.CALDAV}|calendar-home-set`]: () => [href(hrefs.home(r.user.id))],
          [`${NS.CALDAV}|calendar-user-address-set`]: () => [href(`mailto:${r.user.email}`), href(principal)],
          [`${NS.CALDAV}|calendar-user-type`]: () => 'INDIVIDUAL',
        };
      case 'home':
        return {
          [`${NS.DAV}|resourcetype`]: () => [el(NS.DAV, 'collection', [])],
          [`${NS.DAV}|displayname`]: () => `${r.user.name}'s calendars`,
          [`${NS.DAV}|owner`]: () => [href(principal)],
          [`${NS.DAV}|current-user-privilege-set`]: () => privileges(),
        };
      case 'calendar': {
        const c = r.calendar;
        return {
          [`${NS.DAV}|resourcetype`]: () => [el(NS.DAV, 'collection', []), el(NS.CALDAV, 'calendar', [])],
          [`${NS.DAV}|displayname`]: () => c.name,
          [`${NS.DAV}|owner`]: () => [href(principal)],
          [`${NS.DAV}|current-user-privilege-set`]: () => privileges(),
          [`${NS.DAV}|supported-report-set`]: () => ['calendar-query', 'calendar-multiget', 'sync-collection'].map((name) =>
            el(NS.DAV, 'supported-report', [el(NS.DAV, 'report', [el(name === 'sync-collection' ? NS.DAV : NS.CALDAV, name, [])])])),
          [`${NS.DAV}|sync-token`]: () => c.syncToken,
          [`${NS.CS}|getctag`]: () => c.syncToken,
          [`${NS.CALDAV}|calendar-description`]: () => c.description ?? '',
          [`${NS.CALDAV}|supported-calendar-component-set`]: () => [el(NS.CALDAV, 'comp', [], { name: 'VEVENT' })],
          [`${NS.CALDAV}|supported-calendar-data`]: () => [el(NS.CALDAV, 'calendar-data', [], { 'content-type': 'text/calendar', version: '2.0' })],
          [`${NS.CALDAV}|max-resource-size`]: () => String(MAX_RESOURCE_BYTES),
          ...(c.vtimezone && { [`${NS.CALDAV}|calendar-timezone`]: () => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calendar-service//EN\r\n${c.vtimezone!.trim()}\r\nEND:VCALENDAR\r\n` }),
        };
      }
      case 'object':
        return {
          [`${NS.DAV}|resourcetype`]: () => [],
          [`${NS.DAV}|getetag`]: () => r.etag,
          [`${NS.DAV}|getcontenttype`]: () => 'text/calendar; charset=utf-8; component=VEVENT',
          [`${NS.DAV}|getlastmodified`]: () => r.lastModified.toUTCString(),
          ...(r.ics !== undefined && {
            [`${NS.CALDAV}|calendar-data`]: () => r.ics!,
            [`${NS.DAV}|getcontentlength`]: () => String(Buffer.byteLength(r.ics!)),
          }),
        };
    }
  })();
  const value = byKind[key] ?? common[key];
  return value?.();
}

/** Names of every property `r` has (PROPFIND propname and allprop). calendar-data is only given when asked for. */
export function propertyNames(r: DavResource): PropName[] {
  const candidates: PropName[] = [
    ...['resourcetype', 'displayname', 'current-user-principal', 'principal-URL', 'owner', 'current-user-privilege-set', 'supported-report-set', 'sync-token', 'getetag', 'getcontenttype', 'getlastmodified'].map((name) => ({ ns: NS.DAV, name })),
    ...['calendar-home-set', 'calendar-user-address-set', 'calendar-description', 'supported-calendar-component-set', 'supported-calendar-data', 'max-resource-size', 'calendar-timezone'].map((name) => ({ ns: NS.CALDAV, name })),
    { ns: NS.CS, name: 'getctag' },
  ];
  return candidates.filter((p) => propertyValue({ ...r, ...(r.kind === 'object' && { ics: undefined }) } as DavResource, p) !== undefined);
}

function privileges(): XmlNode[] {
  return PRIVILEGES.map((p) => el(NS.DAV, 'privilege', [el(NS.DAV, p, [])]));
}

/** What a PROPFIND (RFC 4918 §9.1) asks for. An empty body is allprop. */
export type PropRequest = { type: 'prop'; props: PropName[] } | { type: 'allprop' } | { type: 'propname' };

/** Reads a `DAV:propfind` body (or the `DAV:prop` of a REPORT). */
export function readPropRequest(root: XmlElement | null): PropRequest {
  if (!root) return { type: 'allprop' };
  if (child(root, NS.DAV, 'propname')) return { type: 'propname' };
  const prop = root.name === 'prop' && root.ns === NS.DAV ? root : child(root, NS.DAV, 'prop');
  if (!prop) return { type: 'allprop' };
  return { type: 'prop', props: prop.children.map((c) => ({ ns: c.ns, name: c.name })) };
}

/** One `DAV:response` of a multistatus: found properties (200) and missing ones (404). */
export function propResponse(r: DavResource, request: PropRequest): XmlNode {
  const found: XmlNode[] = [];
  const missing: XmlNode[] = [];
  const names = request.type === 'prop' ? request.props : propertyNames(r);
  for (const p of names) {
    if (request.type === 'propname') {
      found.push(el(p.ns, p.name, []));
      continue;
    }
    const value = propertyValue(r, p);
    if (value === undefined) missing.push(el(p.ns, p.name, []));
    else found.push(el(p.ns, p.name, value));
  }
  const propstats = [
    ...(found.length || missing.length === 0 ? [propstat(found, 'HTTP/1.1 200 OK')] : []),
    ...(missing.length ? [propstat(missing, 'HTTP/1.1 404 Not Found')] : []),
  ];
  return el(NS.DAV, 'response', [href(hrefOf(r)), ...propstats]);
}

function propstat(props: XmlNode[], status: string): XmlNode {
  return el(NS.DAV, 'propstat', [el(NS.DAV, 'prop', props), el(NS.DAV, 'status', status)]);
}

/** A `DAV:response` with only a status (a multiget href that does not exist, a sync-collection removal). */
export function statusResponse(h: string, status: string): XmlNode {
  return el(NS.DAV, 'response', [href(h), el(NS.DAV, 'status', status)]);
}

/** `DAV:multistatus` (RFC 4918 §14.16), with a sync-token for sync-collection. */
export function multistatus(responses: XmlNode[], syncToken?: string): XmlNode {
  return el(NS.DAV, 'multistatus', [...responses, ...(syncToken ? [el(NS.DAV, 'sync-token', syncToken)] : [])]);
}
