import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from './errors';

/** A page of a keyset-paginated list, as every list endpoint returns it. */
export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `cursor` (REST) or `after` (GraphQL) for the next page. Null on the last page. */
  nextCursor: string | null;
  /** The cursor that resumes right after `item` (Relay edge cursors). */
  cursorOf(item: T): string;
}

/** Default and maximum page sizes of every list (contract: default 50, at most 500). */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/**
 * Opaque, tamper-proof pagination cursors: base64url(JSON of the sort key) + "." + HMAC-SHA256 tag
 * (128 bits). A cursor the server did not issue, or issued for another list, fails `decode` with a 400.
 */
export class CursorCodec {
  constructor(private readonly key: string) {}

  /** @param scope - names the list (e.g. `calendars`) so a cursor of one list is refused by another. */
  encode(scope: string, values: readonly (string | number)[]): string {
    const body = Buffer.from(JSON.stringify(values)).toString('base64url');
    return `${body}.${this.tag(scope, body)}`;
  }

  /** @throws AppError 400 (`/cursor`) when malformed, forged or issued for another scope. */
  decode(scope: string, cursor: string): (string | number)[] {
    const [body, tag, extra] = cursor.split('.');
    if (body && tag && extra === undefined) {
      const expected = Buffer.from(this.tag(scope, body));
      const given = Buffer.from(tag);
      if (expected.length === given.length && timingSafeEqual(expected, given)) {
        const values: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
        if (Array.isArray(values)) return values as (string | number)[];
      }
    }
    throw AppError.invalid('/cursor', 'cursor was not issued by this server for this list');
  }

  private tag(scope: string, body: string): string {
    return createHmac('sha256', this.key).update(`${scope}\n${body}`).digest('base64url').slice(0, 22);
  }
}

/**
 * Cuts `rows` (fetched with `limit + 1`) to one page and encodes the next cursor from its last item.
 * @param keyOf - the sort key of an item, in sort order (e.g. `[start ms, id]`).
 */
export function toPage<T>(rows: T[], limit: number, cursors: CursorCodec, scope: string, keyOf: (item: T) => (string | number)[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const cursorOf = (item: T) => cursors.encode(scope, keyOf(item));
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null, cursorOf };
}
