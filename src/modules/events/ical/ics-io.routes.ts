import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../../infra/errors';
import { DateTime, ErrorResponses, IdParams, Nullable, StringEnum, Uuid } from '../../../infra/http-schemas';
import { actorOf } from '../../../infra/request-context';
import { MAX_IMPORT_BYTES } from './calendar-import.service';
import type { FeedView } from './calendar-feed.service';

const tags = ['iCalendar'];
const CalendarParams = IdParams('calendarId');
const ImportReport = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  skipped: Type.Integer(),
  items: Type.Array(Type.Object({
    uid: Type.String(),
    status: StringEnum(['created', 'updated', 'skipped']),
    eventId: Nullable(Uuid),
    reason: Nullable(Type.String()),
  })),
});
const Feed = Type.Object({ calendarId: Uuid, token: Type.String(), path: Type.String({ description: 'append to the service URL' }), createdAt: DateTime });
const feedBody = (f: FeedView) => ({ ...f, createdAt: f.createdAt.toISOString() });

/** Import of iCalendar files and the owner's management of the secret feed (bearer token routes). */
export const icsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser(['text/calendar', 'application/ics'], { parseAs: 'string', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) => done(null, body));

  app.post('/calendars/:calendarId/import', {
    bodyLimit: MAX_IMPORT_BYTES,
    onRequest: async (req) => {
      if (!/^(text\/calendar|application\/ics)\b/i.test(req.headers['content-type'] ?? '')) throw new AppError('unsupported_media_type', 'send the file as text/calendar');
    },
    schema: {
      tags,
      summary: `Import an iCalendar file (text/calendar, at most ${MAX_IMPORT_BYTES / 1048576} MiB): a UID imported before is updated; overlapping UIDs are skipped unless force=true`,
      params: CalendarParams,
      querystring: Type.Object({ force: Type.Boolean({ default: false }) }, { additionalProperties: false }),
      consumes: ['text/calendar'],
      body: Type.String({ description: 'RFC 5545 VCALENDAR' }),
      response: { 200: ImportReport, 413: Type.Ref('Problem'), 415: Type.Ref('Problem'), ...ErrorResponses },
    },
  }, async (req) => req.services.calendarImport.import(actorOf(req), req.params.calendarId, req.body, { force: req.query.force }));

  app.get('/calendars/:calendarId/feed', {
    schema: { tags, summary: 'The secret feed URL of the calendar (404 when off)', params: CalendarParams, response: { 200: Feed, ...ErrorResponses } },
  }, async (req) => feedBody(await req.services.calendarFeeds.get(actorOf(req), req.params.calendarId)));

  app.post('/calendars/:calendarId/feed', {
    schema: { tags, summary: 'Turn on the secret feed, or rotate its token (the old URL stops working)', params: CalendarParams, response: { 201: Feed, ...ErrorResponses } },
  }, async (req, reply) => reply.status(201).send(feedBody(await req.services.calendarFeeds.rotate(actorOf(req), req.params.calendarId))));

  app.delete('/calendars/:calendarId/feed', {
    schema: { tags, summary: 'Turn the secret feed off', params: CalendarParams, response: { 204: Type.Null(), ...ErrorResponses } },
  }, async (req, reply) => {
    await req.services.calendarFeeds.revoke(actorOf(req), req.params.calendarId);
    return reply.status(204).send(null);
  });
};

/** The secret feed itself: no header needed, the token in the path is the credential. */
export const feedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/calendars/:calendarId/feed/:file', {
    schema: {
      tags,
      summary: 'The calendar as iCalendar for subscriptions (Google "From URL", Apple, Thunderbird); no Authorization header',
      security: [],
      params: Type.Object({ calendarId: Type.String({ maxLength: 64 }), file: Type.String({ maxLength: 100, description: '<token>.ics' }) }),
      produces: ['text/calendar'],
      response: { 200: Type.String(), 404: Type.Ref('Problem') },
    },
  }, async (req, reply) => {
    const token = req.params.file.endsWith('.ics') ? req.params.file.slice(0, -4) : '';
    const ics = await req.services.calendarFeeds.serve(req.params.calendarId, token);
    return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(ics);
  });
};
