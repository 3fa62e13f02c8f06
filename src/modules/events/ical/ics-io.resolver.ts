import { Arg, Authorized, Ctx, Field, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { actorOf, type GraphQLContext } from '../../../graphql/context';
import { DateTime, UUID } from '../../../graphql/scalars';
import type { FeedView } from './calendar-feed.service';
import type { ImportItem, ImportReport } from './calendar-import.service';

@ObjectType('CalendarFeed', { description: 'The secret iCalendar subscription URL of a calendar: `path` appended to the service URL, no header needed' })
class CalendarFeedType {
  @Field(() => UUID)
  calendarId!: string;

  @Field()
  token!: string;

  @Field()
  path!: string;

  @Field(() => DateTime)
  createdAt!: Date;
}

@ObjectType('ImportItem')
class ImportItemType {
  @Field()
  uid!: string;

  @Field(() => String, { description: 'created | updated | skipped' })
  status!: ImportItem['status'];

  @Field(() => UUID, { nullable: true })
  eventId!: string | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;
}

@ObjectType('ImportReport')
class ImportReportType {
  @Field(() => Int)
  created!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => Int)
  skipped!: number;

  @Field(() => [ImportItemType])
  items!: ImportItem[];
}

/** iCalendar import and the secret feed, as REST's /calendars/:id/import and /calendars/:id/feed. */
@Resolver()
export class IcsResolver {
  @Authorized()
  @Query(() => CalendarFeedType, { nullable: true, description: 'The feed of one of the caller\'s calendars; null when off' })
  async calendarFeed(@Arg('calendarId', () => UUID) calendarId: string, @Ctx() ctx: GraphQLContext): Promise<FeedView | null> {
    return ctx.services.calendarFeeds.get(actorOf(ctx), calendarId).catch((err: { kind?: string }) => {
      if (err.kind === 'not_found') return ctx.services.calendars.getOwned(actorOf(ctx), calendarId).then(() => null);
      throw err;
    });
  }

  @Authorized()
  @Mutation(() => CalendarFeedType, { description: 'Turns the feed on, or gives it a new token (the old URL stops working)' })
  rotateCalendarFeed(@Arg('calendarId', () => UUID) calendarId: string, @Ctx() ctx: GraphQLContext): Promise<FeedView> {
    return ctx.services.calendarFeeds.rotate(actorOf(ctx), calendarId);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Turns the feed off' })
  async revokeCalendarFeed(@Arg('calendarId', () => UUID) calendarId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.calendarFeeds.revoke(actorOf(ctx), calendarId);
    return true;
  }

  @Authorized()
  @Mutation(() => ImportReportType, { description: 'Imports iCalendar text (at most 5 MiB; GraphQL requests are limited to 1 MB, use REST for more)' })
  importCalendar(
    @Arg('calendarId', () => UUID) calendarId: string,
    @Arg('ics') ics: string,
    @Arg('force', { defaultValue: false }) force: boolean,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ImportReport> {
    return ctx.services.calendarImport.import(actorOf(ctx), calendarId, ics, { force });
  }
}
