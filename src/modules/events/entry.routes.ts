import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertIfMatch, withEtag } from '../../infra/etag';
import { toDate } from '../../infra/http-input';
import { representerOf, sendRepresentation } from '../../infra/http-representation';
import { ErrorResponses, IdParams, Uuid } from '../../infra/http-schemas';
import { actorOf } from '../../infra/request-context';
import { CreateEntryBody, DeleteQuery, EditQuery, EntryId, ForceQuery, PatchEntryBody, PutEntryBody, toEventInput, toEventPatch } from './event.schemas';
import { ListingPage, SyncablePage, SyncableRangeQuery } from './sync/sync.schemas';
import { toEventView } from './event.views';

const tags = ['entries'];
const CalendarParams = IdParams('calendarId');
const EntryParams = Type.Object({ calendarId: Uuid, entryId: EntryId });
const Conflict = { 409: Type.Ref('Problem') };

type EntryBody = typeof PatchEntryBody.static;

/** Entries (singles, series and occurrences) of one of the caller's calendars. */
export const entryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/calendars/:calendarId/entries', {
    schema: { tags, summary: 'Create an entry or a series (409 on overlap unless force=true)', params: CalendarParams, querystring: ForceQuery, body: CreateEntryBody, response: { 201: Type.Ref('Event'), ...Conflict, ...ErrorResponses } },
  }, async (req, reply) => {
    const event = await req.services.entries.create(actorOf(req), req.params.calendarId, toEventInput(req.body), { force: req.query.force });
    return reply.status(201).send(toEventView(event));
  });

  app.get('/calendars/:calendarId/entries', {
    schema: {
      tags,
      summary: 'Entries and occurrences intersecting [start, end), sorted by start; nextSyncToken on the last page, and with syncToken only what changed since (tombstones: status cancelled)',
      params: CalendarParams,
      querystring: SyncableRangeQuery,
      response: { 200: SyncablePage, 410: Type.Ref('Problem'), ...ErrorResponses },
    },
  }, async (req, reply) => {
    const { start, end, syncToken, limit, cursor } = req.query;
    const range = { from: toDate(start, '/query/start'), to: toDate(end, '/query/end') };
    const { sync } = req.services;
    if (syncToken !== undefined) return sync.changesInCalendar(actorOf(req), req.params.calendarId, range, syncToken, { limit, cursor });
    return sendRepresentation(reply, await sync.listInCalendar(actorOf(req), req.params.calendarId, range, { limit, cursor }, representerOf(req, reply, ListingPage)));
  });

  app.get('/calendars/:calendarId/entries/:entryId', {
    schema: { tags, summary: 'One entry, series or occurrence', params: EntryParams, response: { 200: Type.Ref('Event'), ...ErrorResponses } },
  }, async (req, reply) => withEtag(reply, await req.services.entries.view(actorOf(req), req.params.entryId, { calendarId: req.params.calendarId })));

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
        const { entries } = req.services;
        const actor = actorOf(req);
        const { calendarId, entryId } = req.params;
        await assertIfMatch(req, () => entries.view(actor, entryId, { calendarId }));
        return reply.send(await entries.update(actor, entryId, toEventPatch(req.body as EntryBody), { mode, ...req.query, calendarId }));
      },
    });
  }

  app.delete('/calendars/:calendarId/entries/:entryId', {
    schema: { tags, summary: 'Delete an entry, a series, or occurrences (scope)', params: EntryParams, querystring: DeleteQuery, response: { 204: Type.Null(), ...ErrorResponses } },
  }, async (req, reply) => {
    const { entries } = req.services;
    const actor = actorOf(req);
    const { calendarId, entryId } = req.params;
    await assertIfMatch(req, () => entries.view(actor, entryId, { calendarId }));
    await entries.delete(actor, entryId, { calendarId, scope: req.query.scope });
    return reply.status(204).send(null);
  });
};
