import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { withEtag } from '../../infra/etag';
import { toDate } from '../../infra/http-input';
import { ErrorResponses, IdParams } from '../../infra/http-schemas';
import { actorOf } from '../../infra/request-context';
import { FreeBusyBody, MeetingSuggestionsBody, WorkingHoursBody } from './scheduling.schemas';

const tags = ['scheduling'];
const UserParams = IdParams('userId');

/** POST /freeBusy, POST /meetingSuggestions, and working hours under /users/:userId and /me. */
export const schedulingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/freeBusy', {
    schema: {
      tags,
      summary: 'When users and calendars are busy in a window (times only)',
      description: 'Google Calendar freebusy.query / CalDAV free-busy-query (RFC 4791 §7.10). Any user\'s free/busy; only the caller\'s calendars. An unknown user or calendar gets `errors: [{reason: "notFound"}]` on its item only.',
      body: FreeBusyBody,
      response: { 200: Type.Ref('FreeBusy'), ...ErrorResponses },
    },
  }, async (req) => {
    const { timeMin, timeMax, items } = req.body;
    return req.services.scheduling.freeBusy(actorOf(req), { timeMin: toDate(timeMin, '/timeMin'), timeMax: toDate(timeMax, '/timeMax'), items });
  });

  app.post('/meetingSuggestions', {
    schema: {
      tags,
      summary: 'Times when every required attendee is free, within everyone\'s working hours',
      description: 'Microsoft Graph findMeetingTimes. Ranked by the number of optional attendees free, then by earliest start. An unknown attendee is a 404 naming it.',
      body: MeetingSuggestionsBody,
      response: { 200: Type.Ref('MeetingSuggestions'), ...ErrorResponses },
    },
  }, async (req) => {
    const { timeMin, timeMax, ...rest } = req.body;
    return req.services.scheduling.suggest({ ...rest, timeMin: toDate(timeMin, '/timeMin'), timeMax: toDate(timeMax, '/timeMax') });
  });

  const Hours = { 200: Type.Ref('WorkingHours'), ...ErrorResponses };
  app.get('/users/:userId/working-hours', {
    schema: { tags, summary: 'A user\'s working hours (any signed-in user may read them)', params: UserParams, response: Hours },
  }, async (req, reply) => withEtag(reply, await req.services.workingHours.get(req.params.userId)));

  app.put('/users/:userId/working-hours', {
    schema: { tags, summary: 'Set a user\'s working hours (itself or an admin)', params: UserParams, body: WorkingHoursBody, response: Hours },
  }, async (req) => req.services.workingHours.set(actorOf(req), req.params.userId, req.body));

  app.delete('/users/:userId/working-hours', {
    schema: { tags, summary: 'Reset a user\'s working hours to Monday–Friday 09:00–17:00 (itself or an admin)', params: UserParams, response: { 204: Type.Null(), ...ErrorResponses } },
  }, async (req, reply) => {
    await req.services.workingHours.reset(actorOf(req), req.params.userId);
    return reply.status(204).send(null);
  });

  app.get('/me/working-hours', {
    schema: { tags, summary: 'The caller\'s working hours', response: Hours },
  }, async (req, reply) => withEtag(reply, await req.services.workingHours.get(actorOf(req).userId)));

  app.put('/me/working-hours', {
    schema: { tags, summary: 'Set the caller\'s working hours', body: WorkingHoursBody, response: Hours },
  }, async (req) => req.services.workingHours.set(actorOf(req), actorOf(req).userId, req.body));

  app.delete('/me/working-hours', {
    schema: { tags, summary: 'Reset the caller\'s working hours to Monday–Friday 09:00–17:00', response: { 204: Type.Null(), ...ErrorResponses } },
  }, async (req, reply) => {
    await req.services.workingHours.reset(actorOf(req), actorOf(req).userId);
    return reply.status(204).send(null);
  });
};
