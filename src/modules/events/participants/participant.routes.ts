import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorResponses, IdParams } from '../../../infra/http-schemas';
import { actorOf } from '../../../infra/request-context';
import { AddParticipantBody, PatchParticipantBody } from './participant.schemas';
import { toParticipantView } from './participant.views';

const tags = ['events'];
const EventParams = IdParams('eventId');
const ParticipantParams = IdParams('eventId', 'userId');
const Forbidden = { 403: Type.Ref('Problem') };
const Conflict = { 409: Type.Ref('Problem') };

/** /events/:eventId/participants: invitations (host), responses (each participant its own), removal. */
export const participantRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/events/:eventId/participants', {
    schema: { tags, summary: 'Invite a user (host); the response starts needs_action', params: EventParams, body: AddParticipantBody, response: { 201: Type.Ref('Participant'), ...Forbidden, ...Conflict, ...ErrorResponses } },
  }, async (req, reply) => {
    const p = await req.services.participants.add(actorOf(req), req.params.eventId, { userId: req.body.userId, role: req.body.role ?? 'required' });
    return reply.status(201).send(toParticipantView(p));
  });

  app.patch('/events/:eventId/participants/:userId', {
    schema: { tags, summary: 'Change a role (host) or one\'s own response', params: ParticipantParams, body: PatchParticipantBody, response: { 200: Type.Ref('Participant'), ...Forbidden, ...Conflict, ...ErrorResponses } },
  }, async (req, reply) => {
    const p = await req.services.participants.update(actorOf(req), req.params.eventId, req.params.userId, req.body);
    return reply.send(toParticipantView(p));
  });

  app.delete('/events/:eventId/participants/:userId', {
    schema: { tags, summary: 'Remove a participant (host, or oneself; never the host)', params: ParticipantParams, response: { 204: Type.Null(), ...Forbidden, ...Conflict, ...ErrorResponses } },
  }, async (req, reply) => {
    await req.services.participants.remove(actorOf(req), req.params.eventId, req.params.userId);
    return reply.status(204).send(null);
  });
};
