import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { assertIfMatch, withEtag } from '../../infra/etag';
import { toDate, toOptionalDate } from '../../infra/http-input';
import { ErrorResponses, IdParams, Uuid } from '../../infra/http-schemas';
import { actorOf } from '../../infra/request-context';
import { CreateEntryBody, DeleteQuery, EditQuery, EntryId, EventPage, ForceQuery, PatchEntryBody, PutEntryBody, RangeQuery } from './event.schemas';
import type { EventInput, EventPatch } from './event.service';
import { toEventView } from './event.views';

const tags = ['entries'];
const CalendarParams = IdParams('calendarId');
const EntryParams = Type.Object({ calendarId: Uuid, entryId: EntryId });
const Conflict = { 409: Type.Ref('Problem') };

type EntryBody = typeof PatchEntryBody.static;

/** Body fields as the service takes them (RFC 3339 strings → Dates). */
export function toEventPatch(body: EntryBody): EventPatch {
  const { recurrence, ...rest } = body;
  return {
    ...rest,
    start: toOptionalDate(body.start, '/start'),
    end: toOptionalDate(body.end, '/end'),
    ...(recurrence !== undefined && { recurrence: recurrence && { ...recurrence, until: toOptionalDate(recurrence.until, '/recurrence/until') } }),
  };
}

/** A create body as the service takes it. */
export function toEventInput(body: typeof CreateEntryBody.static): EventInput {
  return { ...toEventPatch(body), title: body.title, start: toDate(body.start, '/start') };
}

/** VTIMEZONE block of an IANA zone, from the IANA-derived timezones-ical-library; null if unknown. */
export function vtimezone(timeZone: string): string | null {
  const block = tzlib_get_ical_block(timeZone);
  return Array.isArray(block) && typeof block[0] === 'string' && block[0].startsWith('BEGIN:VTIMEZONE') ? block[0] : null;
}

/** Entries (singles, series and occurrences) of one of the caller's calendars, and its iCalendar export. */
export const entryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/calendars/:calendarId/entries', {
    schema: { tags, summary: 'Create an entry or a series (409 on overlap unless force=true)', params: CalendarParams, querystring: ForceQuery, body: CreateEntryBody, response: { 201: Type.Ref('Event'), ...Conflict, ...ErrorResponses } },
  }, async (req, reply) => {
    const event = await req.services.events.create(actorOf(req), req.params.calendarId, toEventInput(req.body), { force: req.query.force });
    return reply.status(201).send(toEventView(event));
  });

  app.get('/calendars/:calendarId/entries', {
    schema: { tags, summary: 'Entries and occurrences intersecting [start, end), sorted by start', params: CalendarParams, querystring: RangeQuery, response: { 200: EventPage, ...ErrorResponses } },
  }, async (req) => {
    const { start, end, limit, cursor } = req.query;
    const range = { from: toDate(start, '/query/start'), to: toDate(end, '/query/end') };
    const page = await req.services.events.listInCalendar(actorOf(req), req.params.calendarId, range, { limit, cursor });
    return { items: page.items, nextCursor: page.nextCursor };
  });

  app.get('/calendars/:calendarId/entries/:entryId', {
    schema: { tags, summary: 'One entry, series or occurrence', params: EntryParams, response: { 200: Type.Ref('Event'), ...ErrorResponses } },
  }, async (req, reply) => withEtag(reply, await req.services.events.view(actorOf(req), req.params.entryId, { calendarId: req.params.calendarId })));

  for (const mode of ['put', 'patch'] as const) {
    app.route({
      method: mode === 'put' ? 'PUT' : 'PATCH',
      url: '/calendars/:calendarId/entries/:entryId',
      schema: {
        tags,
        summary: mode === 'put' ? 'Replace an entry, a series or occurrences (scope)' : 'Change an entry, a series or occurrences (scope); moving only start keeps the duration',
        params: EntryParams,
        querystring: EditQuery,
        body: mode === 'put' ? PutEntryBody : PatchEntryBody,
        response: { 200: Type.Ref('Event'), ...Conflict, ...ErrorResponses },
      },
      handler: async (req, reply) => {
        const { events } = req.services;
        const actor = actorOf(req);
        const { calendarId, entryId } = req.params;
        await assertIfMatch(req, () => events.view(actor, entryId, { calendarId }));
        return reply.send(await events.update(actor, entryId, toEventPatch(req.body as EntryBody), { mode, ...req.query, calendarId }));
      },
    });
  }

  app.delete('/calendars/:calendarId/entries/:entryId', {
    schema: { tags, summary: 'Delete an entry, a series, or occurrences (scope)', params: EntryParams, querystring: DeleteQuery, response: { 204: Type.Null(), ...ErrorResponses } },
  }, async (req, reply) => {
    const { events } = req.services;
    const actor = actorOf(req);
    const { calendarId, entryId } = req.params;
    await assertIfMatch(req, () => events.view(actor, entryId, { calendarId }));
    await events.delete(actor, entryId, { calendarId, scope: req.query.scope });
    return reply.status(204).send(null);
  });

  app.get('/calendars/:calendarId/calendar.ics', {
    schema: { tags, summary: 'The calendar as RFC 5545 iCalendar (RRULE, EXDATE, RECURRENCE-ID, VTIMEZONE)', params: CalendarParams, produces: ['text/calendar'], response: { 200: Type.String(), ...ErrorResponses } },
  }, async (req, reply) => {
    const ics = await req.services.events.exportCalendar(actorOf(req), req.params.calendarId, vtimezone);
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', 'attachment; filename="calendar.ics"').send(ics);
  });
};
