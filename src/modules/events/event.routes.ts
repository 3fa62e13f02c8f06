import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertIfMatch, withEtag } from '../../infra/etag';
import { toOptionalDate } from '../../infra/http-input';
import { sendSerialized } from '../../infra/http-representation';
import { ErrorResponses } from '../../infra/http-schemas';
import { actorOf } from '../../infra/request-context';
import { CreateEventBody, DeleteQuery, EditQuery, EntryId, ForceQuery, PatchEntryBody, PutEntryBody, toEventInput, toEventPatch } from './event.schemas';
import { ListingPage, SyncableEventsQuery, SyncablePage } from './sync/sync.schemas';

const tags = ['events'];
const EntryParams = Type.Object({ eventId: EntryId });
const Forbidden = { 403: Type.Ref('Problem') };
const Conflict = { 409: Type.Ref('Problem') };

type PatchBody = typeof PatchEntryBody.static;

/**
 * /events: the same events as calendar entries, addressed without a calendar; visible to their host
 * and participants. Participants: participants/participant.routes.ts.
 */
export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/events', {
    schema: { tags, summary: "Create an event (default: the caller's primary calendar; the caller hosts)", querystring: ForceQuery, body: CreateEventBody, response: { 201: Type.Ref('Event'), ...Conflict, ...ErrorResponses } },
  }, async (req, reply) => {
    const { calendarId, participants, ...fields } = req.body;
    const { entries } = req.services;
    const actor = actorOf(req);
    const event = await entries.create(actor, calendarId, toEventInput(fields), {
      force: req.query.force,
      participants: participants?.map((p) => ({ userId: p.userId, role: p.role ?? 'required' })),
    });
    return reply.status(201).send(await entries.view(actor, event.id, { participants: true }));
  });

  app.get('/events', {
    schema: {
      tags,
      summary: "A user's events by role and range (default: the caller's, any role, no date bound); nextSyncToken on the last page, and with syncToken only what changed since (tombstones: status cancelled)",
      querystring: SyncableEventsQuery,
      response: { 200: SyncablePage, 403: Type.Ref('Problem'), 410: Type.Ref('Problem'), ...ErrorResponses },
    },
  }, async (req, reply) => {
    const { from, to, include, syncToken, ...q } = req.query;
    const query = { ...q, from: toOptionalDate(from, '/query/from'), to: toOptionalDate(to, '/query/to'), includeParticipants: include === 'participants' };
    const { eventsSync } = req.services;
    if (syncToken !== undefined) return eventsSync.changes(actorOf(req), query, syncToken);
    return sendSerialized(reply, await eventsSync.list(actorOf(req), query), ListingPage);
  });

  app.get('/events/:eventId', {
    schema: { tags, summary: 'One event, series or occurrence with its participants', params: EntryParams, response: { 200: Type.Ref('Event'), ...ErrorResponses } },
  }, async (req, reply) => withEtag(reply, await req.services.entries.view(actorOf(req), req.params.eventId, { participants: true })));

  for (const mode of ['put', 'patch'] as const) {
    app.route({
      method: mode === 'put' ? 'PUT' : 'PATCH',
      url: '/events/:eventId',
      schema: { tags, summary: mode === 'put' ? 'Replace an event, series or occurrences (host; scope)' : 'Change an event, series or occurrences (host; scope)', params: EntryParams, querystring: EditQuery, body: mode === 'put' ? PutEntryBody : PatchEntryBody, response: { 200: Type.Ref('Event'), ...Forbidden, ...Conflict, ...ErrorResponses } },
      handler: async (req, reply) => {
        const { entries } = req.services;
        const actor = actorOf(req);
        await assertIfMatch(req, () => entries.view(actor, req.params.eventId, { participants: true }));
        const changed = await entries.update(actor, req.params.eventId, toEventPatch(req.body as PatchBody), { mode, ...req.query });
        return reply.send(await entries.view(actor, changed.id, { participants: true }));
      },
    });
  }

  app.delete('/events/:eventId', {
    schema: { tags, summary: 'Delete an event, series or occurrences (host; scope)', params: EntryParams, querystring: DeleteQuery, response: { 204: Type.Null(), ...Forbidden, ...ErrorResponses } },
  }, async (req, reply) => {
    const { entries } = req.services;
    const actor = actorOf(req);
    await assertIfMatch(req, () => entries.view(actor, req.params.eventId, { participants: true }));
    await entries.delete(actor, req.params.eventId, { scope: req.query.scope });
    return reply.status(204).send(null);
  });
};
