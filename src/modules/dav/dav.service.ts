import type { Actor } from '../../infra/actor';
import { AppError } from '../../infra/errors';
import type { Calendar } from '../calendars/calendar.entity';
import type { CalendarService } from '../calendars/calendar.service';
import { type CalendarObjectService, type ObjectBody, type ObjectMeta, SyncTokenExpired } from '../events/ical/calendar-object.service';
import type { UserService } from '../users/user.service';
import { type DavTarget, hrefs, parseDavPath } from './dav.paths';
import { type DavCalendar, type DavResource, type DavUser, multistatus, propResponse, type PropRequest, statusResponse } from './dav.properties';
import type { CalendarQuery, DavReport } from './dav.reports';
import { UnsupportedReport } from './dav.reports';
import { el, NS, type XmlElement, type XmlNode } from './xml';

/** The sync token of a calendar whose state a client must read in full again (RFC 6578 §3.2). */
export class InvalidSyncToken extends AppError {
  readonly precondition = { ns: NS.DAV, name: 'valid-sync-token' };

  constructor() {
    super('forbidden', 'the sync token is not valid (any more): read the collection in full again');
  }
}

/**
 * CalDAV over the calendars and entries of the caller (RFC 4791, RFC 6578, RFC 5397): what each
 * PROPFIND, REPORT and PROPPATCH of the DAV space answers. Addresses outside the caller's own space
 * are 404, as everywhere.
 */
export class DavService {
  constructor(
    private readonly users: UserService,
    private readonly calendars: CalendarService,
    private readonly objects: CalendarObjectService,
    private readonly vtimezone: (tz: string) => string | null,
  ) {}

  /** PROPFIND (RFC 4918 §9.1) at `target` with Depth 0 or 1. @throws AppError 404 */
  async propfind(actor: Actor, target: DavTarget, depth: 0 | 1, request: PropRequest): Promise<XmlNode> {
    const user = await this.user(actor, target);
    const resources: DavResource[] = [];
    switch (target.kind) {
      case 'root':
        resources.push({ kind: 'root', user });
        if (depth === 1) resources.push({ kind: 'principal', user }, { kind: 'home', user });
        break;
      case 'principal':
        resources.push({ kind: 'principal', user });
        break;
      case 'home':
        resources.push({ kind: 'home', user });
        if (depth === 1) for (const c of await this.ownCalendars(actor)) resources.push({ kind: 'calendar', user, calendar: await this.davCalendar(actor, c) });
        break;
      case 'calendar': {
        const calendar = await this.calendars.getOwned(actor, target.calendarId);
        resources.push({ kind: 'calendar', user, calendar: await this.davCalendar(actor, calendar) });
        if (depth === 1) resources.push(...(await this.objects.list(actor, calendar.id)).map((m) => objectResource(user, calendar.id, m)));
        break;
      }
      case 'object': {
        const wantsData = request.type === 'prop' && request.props.some((p) => p.ns === NS.CALDAV && p.name === 'calendar-data');
        const [found] = await this.objects.read(actor, target.calendarId, [target.name]);
        if (!found) throw AppError.notFound('resource', target.name);
        resources.push(objectResource(user, target.calendarId, found, wantsData));
        break;
      }
    }
    return multistatus(resources.map((r) => propResponse(r, request)));
  }

  /** REPORT (RFC 3253 §3.6) on a calendar collection. @throws AppError 404, UnsupportedReport, InvalidSyncToken */
  async report(actor: Actor, target: DavTarget, report: DavReport): Promise<XmlNode> {
    if (target.kind !== 'calendar') throw new UnsupportedReport(`${report.type} is answered on a calendar collection`, { ns: NS.DAV, name: 'supported-report' });
    const user = await this.user(actor, target);
    const calendarId = target.calendarId;
    const withData = report.props.type !== 'prop' || report.props.props.some((p) => p.ns === NS.CALDAV && p.name === 'calendar-data');
    const expand = report.type === 'sync-collection' ? undefined : report.expand;
    const bodies = async (metas: ObjectMeta[]) => (withData ? (await this.objects.read(actor, calendarId, metas.map((m) => m.name), { expand })).filter((b): b is ObjectBody => b !== null) : metas);
    const responses = (items: (ObjectMeta | ObjectBody)[]) => items.map((m) => propResponse(objectResource(user, calendarId, m, withData), report.props));
    switch (report.type) {
      case 'calendar-multiget': {
        const names = report.hrefs.map((h) => {
          const t = parseDavPath(h);
          return t?.kind === 'object' && t.userId === user.id && t.calendarId === calendarId ? t.name : null;
        });
        const found = await this.objects.read(actor, calendarId, names.filter((n): n is string => n !== null), { expand });
        const byName = new Map(found.filter((b): b is ObjectBody => b !== null).map((b) => [b.name, b]));
        return multistatus(report.hrefs.map((h, i) => {
          const body = names[i] ? byName.get(names[i]!) : undefined;
          return body ? propResponse(objectResource(user, calendarId, body, withData), report.props) : statusResponse(h, 'HTTP/1.1 404 Not Found');
        }));
      }
      case 'calendar-query': {
        if (!report.events) return multistatus([]);
        const metas = report.timeRange ? await this.objects.inRange(actor, calendarId, report.timeRange) : await this.objects.list(actor, calendarId);
        const matching = report.textMatches.length ? await this.textMatching(actor, calendarId, metas, report.textMatches) : metas;
        return multistatus(responses(await bodies(matching)));
      }
      case 'sync-collection': {
        if (report.syncToken === '') {
          const syncToken = await this.objects.syncToken(actor, calendarId);
          return multistatus(responses(await bodies(await this.objects.list(actor, calendarId))), syncToken);
        }
        const { changed, removed, syncToken } = await this.objects.changesSince(actor, calendarId, report.syncToken).catch((err: unknown) => {
          throw err instanceof SyncTokenExpired ? new InvalidSyncToken() : err;
        });
        const gone = removed.map((name) => statusResponse(hrefs.object(user.id, calendarId, name), 'HTTP/1.1 404 Not Found'));
        return multistatus([...responses(await bodies(changed)), ...gone], syncToken);
      }
    }
  }

  /**
   * PROPPATCH (RFC 4918 §9.2) of a calendar: `displayname` and `calendar-description` change its name
   * and description; other properties are refused (403) and then nothing changes (424 for the rest),
   * as the method is atomic.
   */
  async proppatch(actor: Actor, target: DavTarget, update: XmlElement): Promise<XmlNode> {
    if (target.kind !== 'calendar') throw new AppError('forbidden', 'only calendar collections have writable properties');
    const user = await this.user(actor, target);
    const sets = update.children.filter((c) => c.ns === NS.DAV && (c.name === 'set' || c.name === 'remove'));
    const changes = sets.flatMap((s) => (s.children.find((c) => c.ns === NS.DAV && c.name === 'prop')?.children ?? []).map((p) => ({ remove: s.name === 'remove', p })));
    const supported = (p: XmlElement) => (p.ns === NS.DAV && p.name === 'displayname') || (p.ns === NS.CALDAV && p.name === 'calendar-description');
    const ok = changes.every((c) => supported(c.p) && !(c.remove && c.p.name === 'displayname') && (c.p.name !== 'displayname' || c.p.text.trim().length > 0));
    if (ok && changes.length) {
      const patch: { name?: string; description?: string | null } = {};
      for (const { remove, p } of changes) {
        if (p.name === 'displayname') patch.name = p.text.trim().slice(0, 200);
        else patch.description = remove ? null : p.text;
      }
      await this.calendars.update(actor, target.calendarId, patch as never, 'patch');
    } else await this.calendars.getOwned(actor, target.calendarId);
    const status = (c: { p: XmlElement }) => (ok ? 'HTTP/1.1 200 OK' : supported(c.p) ? 'HTTP/1.1 424 Failed Dependency' : 'HTTP/1.1 403 Forbidden');
    const propstats = changes.map((c) => el(NS.DAV, 'propstat', [el(NS.DAV, 'prop', [el(c.p.ns, c.p.name, [])]), el(NS.DAV, 'status', status(c))]));
    return multistatus([el(NS.DAV, 'response', [el(NS.DAV, 'href', hrefs.calendar(user.id, target.calendarId)), ...propstats])]);
  }

  /** The caller, when `target` is in its own space. @throws AppError 404 otherwise */
  async user(actor: Actor, target: DavTarget): Promise<DavUser> {
    if ('userId' in target && target.userId !== actor.userId) throw AppError.notFound('resource');
    const u = await this.users.get(actor.userId);
    return { id: u.id, name: u.name, email: u.email };
  }

  private async ownCalendars(actor: Actor): Promise<Calendar[]> {
    const all: Calendar[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.calendars.list(actor, { limit: 500, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  private async davCalendar(actor: Actor, c: Calendar): Promise<DavCalendar> {
    return { id: c.id, name: c.name, description: c.description ?? null, timeZone: c.timeZone, vtimezone: this.vtimezone(c.timeZone), syncToken: await this.objects.syncToken(actor, c.id) };
  }

  private async textMatching(actor: Actor, calendarId: string, metas: ObjectMeta[], matches: CalendarQuery['textMatches']): Promise<ObjectMeta[]> {
    const needsSummary = matches.some((m) => m.property === 'SUMMARY');
    const bodies = needsSummary ? await this.objects.read(actor, calendarId, metas.map((m) => m.name)) : metas;
    return metas.filter((m, i) => matches.every((t) => {
      const value = t.property === 'UID' ? m.uid : /^SUMMARY:(.*)$/m.exec((bodies[i] as ObjectBody | null)?.ics ?? '')?.[1] ?? '';
      const hit = t.property === 'UID' ? value.includes(t.text) : value.toLowerCase().includes(t.text.toLowerCase());
      return hit !== t.negate;
    }));
  }
}

function objectResource(user: DavUser, calendarId: string, m: ObjectMeta | ObjectBody, withData = false): DavResource {
  return { kind: 'object', user, calendarId, name: m.name, etag: m.etag, lastModified: m.lastModified, ...(withData && 'ics' in m && { ics: m.ics }) };
}
