import { Arg, Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { PageArgs } from '../../../graphql/args';
import { actorOf, type GraphQLContext } from '../../../graphql/context';
import { DateTime, UUID } from '../../../graphql/scalars';
import type { CancelledView, SyncPage } from './sync.service';
import { EntrySyncConnectionType } from './sync.type';

/** GraphQL `sync`: the REST listing of calendar entries with sync tokens, as one query. */
@Resolver()
export class SyncResolver {
  @Authorized()
  @Query(() => EntrySyncConnectionType, {
    description: "A window of one of the caller's calendars for incremental sync: without syncToken, its entries and occurrences with nextSyncToken on the last page; with it, what changed since. SYNC_TOKEN_INVALID (HTTP 410 in REST) when the token expired, is malformed or belongs to another calendar, user or window: read in full again",
  })
  async sync(
    @Arg('calendarId', () => UUID, { description: "one of the caller's calendars" }) calendarId: string,
    @Arg('start', () => DateTime, { description: 'start of the window (inclusive); the same on every sync of a token' }) start: Date,
    @Arg('end', () => DateTime, { description: 'end of the window (exclusive); the same on every sync of a token' }) end: Date,
    @Arg('syncToken', () => String, { nullable: true, description: 'the nextSyncToken of the previous sync of this window; absent: read the window in full' }) syncToken: string | null,
    @Args() { first, after }: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ) {
    const { sync } = ctx.services;
    const range = { from: start, to: end };
    const page = syncToken === null || syncToken === undefined
      ? await sync.pageInCalendar(actorOf(ctx), calendarId, range, { limit: first, cursor: after })
      : await sync.changesInCalendar(actorOf(ctx), calendarId, range, syncToken, { limit: first, cursor: after });
    return toSyncConnection(page);
  }
}

/** A sync page as the connection: current items and tombstones apart. */
function toSyncConnection(page: SyncPage) {
  const isCancelled = (i: SyncPage['items'][number]): i is CancelledView => !('title' in i);
  return {
    nodes: page.items.filter((i) => !isCancelled(i)),
    cancelled: page.items.filter(isCancelled),
    pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: page.nextCursor },
    nextSyncToken: page.nextSyncToken,
  };
}

