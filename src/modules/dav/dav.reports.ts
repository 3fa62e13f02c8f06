import { AppError } from '../../infra/errors';
import { readPropRequest, type PropRequest } from './dav.properties';
import { child, childrenOf, NS, type XmlElement } from './xml';

/**
 * The REPORT bodies this server answers, read into plain requests (pure): CalDAV calendar-query
 * (RFC 4791 §7.8) and calendar-multiget (§7.9), WebDAV sync-collection (RFC 6578 §3.2).
 */

/** A UTC time range; an open side is unbounded (RFC 4791 §9.9). */
export interface TimeRange {
  from?: Date;
  to?: Date;
}

/** What a calendar-query asks for, after its filter (RFC 4791 §9.7) is read. */
export interface CalendarQuery {
  type: 'calendar-query';
  props: PropRequest;
  /** `calendar-data/expand`: return the instances in this window instead of the objects (RFC 4791 §9.6.5). */
  expand?: Required<TimeRange>;
  /** False when the filter asks for components this calendar never holds (VTODO, VJOURNAL…). */
  events: boolean;
  timeRange?: TimeRange;
  /** prop-filter text-matches on UID or SUMMARY (substring; SUMMARY case-insensitive, RFC 4790 i;ascii-casemap). */
  textMatches: { property: 'UID' | 'SUMMARY'; text: string; negate: boolean }[];
}

export interface CalendarMultiget {
  type: 'calendar-multiget';
  props: PropRequest;
  expand?: Required<TimeRange>;
  hrefs: string[];
}

export interface SyncCollection {
  type: 'sync-collection';
  props: PropRequest;
  /** Empty for an initial sync. */
  syncToken: string;
}

export type DavReport = CalendarQuery | CalendarMultiget | SyncCollection;

/** A request the server understands but does not support: answered with a precondition error. */
export class UnsupportedReport extends AppError {
  constructor(message: string, readonly precondition: { ns: string; name: string }) {
    super('forbidden', message);
  }
}

/**
 * Reads a REPORT body. @throws AppError 400 for a malformed report, UnsupportedReport (403) for
 * unsupported reports (`DAV:supported-report`) and filters (`CALDAV:supported-filter`).
 */
export function readReport(root: XmlElement): DavReport {
  const props = readPropRequest(child(root, NS.DAV, 'prop') ?? null);
  const expandEl = child(child(child(root, NS.DAV, 'prop'), NS.CALDAV, 'calendar-data'), NS.CALDAV, 'expand');
  const expand = expandEl && { from: utc(expandEl.attrs.start, 'start'), to: utc(expandEl.attrs.end, 'end') };
  if (expand && (!expand.from || !expand.to || expand.from >= expand.to)) throw AppError.invalid('/expand', 'expand needs start and end, start before end');
  const expanded = expand ? { expand: expand as Required<TimeRange> } : {};
  if (root.ns === NS.CALDAV && root.name === 'calendar-multiget') {
    return { type: 'calendar-multiget', props, ...expanded, hrefs: childrenOf(root, NS.DAV, 'href').map((h) => h.text.trim()) };
  }
  if (root.ns === NS.DAV && root.name === 'sync-collection') {
    const level = child(root, NS.DAV, 'sync-level')?.text.trim();
    if (level && level !== '1') throw new UnsupportedReport('only sync-level 1 is supported', { ns: NS.DAV, name: 'supported-report' });
    return { type: 'sync-collection', props, syncToken: child(root, NS.DAV, 'sync-token')?.text.trim() ?? '' };
  }
  if (root.ns === NS.CALDAV && root.name === 'calendar-query') return { type: 'calendar-query', props, ...expanded, ...readFilter(child(root, NS.CALDAV, 'filter')) };
  throw new UnsupportedReport(`the ${root.name} report is not supported`, { ns: NS.DAV, name: 'supported-report' });
}

function readFilter(filter: XmlElement | undefined): Omit<CalendarQuery, 'type' | 'props'> {
  const result: Omit<CalendarQuery, 'type' | 'props'> = { events: true, textMatches: [] };
  const calendar = child(filter, NS.CALDAV, 'comp-filter');
  if (!filter || !calendar) throw AppError.invalid('/filter', 'calendar-query needs <C:filter><C:comp-filter name="VCALENDAR">');
  if (calendar.attrs.name?.toUpperCase() !== 'VCALENDAR') throw AppError.invalid('/filter', 'the outer comp-filter must be VCALENDAR');
  const [inner, ...more] = childrenOf(calendar, NS.CALDAV, 'comp-filter');
  if (more.length > 0) throw new UnsupportedReport('only one component filter inside VCALENDAR is supported', { ns: NS.CALDAV, name: 'supported-filter' });
  if (!inner) return result;
  if (inner.attrs.name?.toUpperCase() !== 'VEVENT') return { ...result, events: !!child(inner, NS.CALDAV, 'is-not-defined') };
  if (child(inner, NS.CALDAV, 'is-not-defined')) return { ...result, events: false };
  for (const c of inner.children) {
    if (c.ns === NS.CALDAV && c.name === 'time-range') result.timeRange = { from: utc(c.attrs.start, 'start'), to: utc(c.attrs.end, 'end') };
    else if (c.ns === NS.CALDAV && c.name === 'prop-filter') result.textMatches.push(readTextMatch(c));
    else throw new UnsupportedReport(`the ${c.name} filter inside VEVENT is not supported`, { ns: NS.CALDAV, name: 'supported-filter' });
  }
  return result;
}

function readTextMatch(propFilter: XmlElement): CalendarQuery['textMatches'][number] {
  const property = propFilter.attrs.name?.toUpperCase();
  const match = child(propFilter, NS.CALDAV, 'text-match');
  if ((property !== 'UID' && property !== 'SUMMARY') || !match || propFilter.children.length !== 1) {
    throw new UnsupportedReport(`prop-filter ${property ?? ''} is not supported (UID or SUMMARY with one text-match)`, { ns: NS.CALDAV, name: 'supported-filter' });
  }
  return { property, text: match.text, negate: match.attrs['negate-condition'] === 'yes' };
}

/** `YYYYMMDDTHHMMSSZ` (RFC 4791 §9.9: UTC date with time). @throws AppError 400 */
function utc(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  const date = m && new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  if (!date || Number.isNaN(date.getTime())) throw AppError.invalid(`/filter/time-range/${name}`, `time-range ${name} must be a UTC date-time such as 20260101T000000Z`);
  return date;
}
