import { Arg, Authorized, Ctx, Field, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { actorOf, type GraphQLContext } from '../../../graphql/context';
import { DateTime, UUID } from '../../../graphql/scalars';
import type { FeedView } from './calendar-feed.service';
import type { ImportItem, ImportReport } from './calendar-import.service';

@ObjectType('CalendarFeed', { description: 'The secret iCalendar subscription URL of a calendar: `path` appended to the service URL, no header needed' })
class CalendarFeedType {
  @Field(() => UUID, { description: 'the calendar it publishes' })
  calendarId!: string;

  @Field({ description: 'the secret in the URL; rotating replaces it' })
  token!: string;

  @Field({ description: '/calendars/<id>/feed/<token>.ics: append to the service URL' })
  path!: string;

  @Field(() => DateTime, { description: 'when this token was made' })
  createdAt!: Date;
}

@ObjectType('ImportItem', { description: 'What an import did with one VEVENT' })
class ImportItemType {
  @Field({ description: "the component's UID" })
  uid!: string;

  @Field(() => String, { description: 'created | updated | skipped' })
  status!: ImportItem['status'];

  @Field(() => UUID, { nullable: true, description: 'the entry it created or updated; null when skipped' })
  eventId!: string | null;

  @Field(() => String, { nullable: true, description: 'why it was skipped; null otherwise' })
  reason!: string | null;
}

@ObjectType('ImportReport', { description: 'What an iCalendar import did, in total and per component' })
class ImportReportType {
  @Field(() => Int, { description: 'entries created' })
  created!: number;

  @Field(() => Int, { description: 'entries updated (same UID as before)' })
  updated!: number;

  @Field(() => Int, { description: 'components not imported (see items)' })
  skipped!: number;

  @Field(() => [ImportItemType], { description: 'one per VEVENT, in file order' })
  items!: ImportItem[];
}

/** iCalendar import and the secret feed, as REST's /calendars/:id/import and /calendars/:id/feed. */
@Resolver()
export class IcsResolver {
  @Authorized()
  @Query(() => CalendarFeedType, { nullable: true, description: "The feed of one of the caller's calendars; null when off" })
  async calendarFeed(@Arg('calendarId', () => UUID, { description: "one of the caller's calendars" }) calendarId: string, @Ctx() ctx: GraphQLContext): Promise<FeedView | null> {
    return ctx.services.calendarFeeds.get(actorOf(ctx), calendarId).catch((err: { kind?: string }) => {
      if (err.kind === 'not_found') return ctx.services.calendars.getOwned(actorOf(ctx), calendarId).then(() => null);
      throw err;
    });
  }

  @Authorized()
  @Mutation(() => CalendarFeedType, { description: 'Turns the feed on, or gives it a new token (the old URL stops working)' })
  rotateCalendarFeed(@Arg('calendarId', () => UUID, { description: "one of the caller's calendars" }) calendarId: string, @Ctx() ctx: GraphQLContext): Promise<FeedView> {
    return ctx.services.calendarFeeds.rotate(actorOf(ctx), calendarId);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Turns the feed off' })
  async revokeCalendarFeed(@Arg('calendarId', () => UUID, { description: "one of the caller's calendars" }) calendarId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.calendarFeeds.revoke(actorOf(ctx), calendarId);
    return true;
  }

  @Authorized()
  @Mutation(() => ImportReportType, { description: 'Imports iCalendar text (at most 5 MiB; GraphQL requests are limited to 1 MB, use REST for more)' })
  importCalendar(
    @Arg('calendarId', () => UUID, { description: "one of the caller's calendars" }) calendarId: string,
    @Arg('ics', { description: 'an RFC 5545 VCALENDAR' }) ics: string,
    @Arg('force', { defaultValue: false, description: 'true: import entries even when they overlap others (otherwise they are skipped and reported)' }) force: boolean,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ImportReport> {
    return ctx.services.calendarImport.import(actorOf(ctx), calendarId, ics, { force });
  }
}
