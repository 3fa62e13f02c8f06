import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorResponses, IdParams } from '../../../infra/http-schemas';
import { actorOf } from '../../../infra/request-context';
import { vtimezone } from './vtimezone';

const tags = ['entries'];
const CalendarParams = IdParams('calendarId');

/** GET /calendars/:calendarId/calendar.ics: one of the caller's calendars as iCalendar. */
export const icalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/calendars/:calendarId/calendar.ics', {
    schema: { tags, summary: 'The calendar as RFC 5545 iCalendar (RRULE, EXDATE, RECURRENCE-ID, VTIMEZONE)', params: CalendarParams, produces: ['text/calendar'], response: { 200: Type.String(), ...ErrorResponses } },
  }, async (req, reply) => {
    const ics = await req.services.icalendar.exportCalendar(actorOf(req), req.params.calendarId, vtimezone);
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', 'attachment; filename="calendar.ics"').send(ics);
  });
};
