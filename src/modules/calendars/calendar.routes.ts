import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertIfMatch, withEtag } from '../../infra/etag';
import { ErrorResponses, IdParams } from '../../infra/http-schemas';
import { actorOf } from '../../infra/request-context';
import { CalendarPage, CreateCalendarBody, ListCalendarsQuery, PatchCalendarBody, PutCalendarBody } from './calendar.schemas';
import { toCalendarView } from './calendar.service';

const Params = IdParams('calendarId');
const tags = ['calendars'];
const One = { 200: Type.Ref('Calendar'), ...ErrorResponses };

/** The caller's calendars. */
export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/calendars', { schema: { tags, summary: 'Create a calendar', body: CreateCalendarBody, response: { 201: Type.Ref('Calendar'), ...ErrorResponses } } }, async (req, reply) =>
    reply.status(201).send(toCalendarView(await req.services.calendars.create(actorOf(req), req.body))),
  );

  app.get('/calendars', { schema: { tags, summary: "The caller's calendars, primary first", querystring: ListCalendarsQuery, response: { 200: CalendarPage, ...ErrorResponses } } }, async (req, reply) => {
    const page = await req.services.calendars.list(actorOf(req), req.query);
    return withEtag(reply, { items: page.items.map(toCalendarView), nextCursor: page.nextCursor });
  });

  app.get('/calendars/:calendarId', { schema: { tags, summary: 'One calendar', params: Params, response: One } }, async (req, reply) =>
    withEtag(reply, toCalendarView(await req.services.calendars.getOwned(actorOf(req), req.params.calendarId))),
  );

  for (const mode of ['put', 'patch'] as const) {
    app.route({
      method: mode === 'put' ? 'PUT' : 'PATCH',
      url: '/calendars/:calendarId',
      schema: { tags, summary: mode === 'put' ? 'Replace a calendar' : 'Change a calendar', params: Params, body: mode === 'put' ? PutCalendarBody : PatchCalendarBody, response: One },
      handler: async (req, reply) => {
        const { calendars } = req.services;
        const actor = actorOf(req);
        await assertIfMatch(req, async () => toCalendarView(await calendars.getOwned(actor, req.params.calendarId)));
        return reply.send(toCalendarView(await calendars.update(actor, req.params.calendarId, req.body as typeof PatchCalendarBody.static, mode)));
      },
    });
  }

  app.delete('/calendars/:calendarId', { schema: { tags, summary: 'Delete a calendar and its entries (not the primary one)', params: Params, response: { 204: Type.Null(), 409: Type.Ref('Problem'), ...ErrorResponses } } }, async (req, reply) => {
    const { calendars } = req.services;
    const actor = actorOf(req);
    await assertIfMatch(req, async () => toCalendarView(await calendars.getOwned(actor, req.params.calendarId)));
    await calendars.delete(actor, req.params.calendarId);
    return reply.status(204).send(null);
  });
};
