/**
 * The URL space of CalDAV (RFC 4791 §4.2, RFC 5397): `/dav/` (root), `/dav/principals/<userId>/` (the
 * user, RFC 3744 principal), `/dav/calendars/<userId>/` (its calendar home), one collection per
 * calendar under it and one resource per entry or series in each. Pure.
 */

export const DAV_ROOT = '/dav/';

/** What a request path addresses. */
export type DavTarget =
  | { kind: 'root' }
  | { kind: 'principal'; userId: string }
  | { kind: 'home'; userId: string }
  | { kind: 'calendar'; userId: string; calendarId: string }
  | { kind: 'object'; userId: string; calendarId: string; name: string };

/** Hrefs (absolute paths) of the resources; names are percent-encoded. */
export const hrefs = {
  root: () => DAV_ROOT,
  principal: (userId: string) => `${DAV_ROOT}principals/${userId}/`,
  home: (userId: string) => `${DAV_ROOT}calendars/${userId}/`,
  calendar: (userId: string, calendarId: string) => `${DAV_ROOT}calendars/${userId}/${calendarId}/`,
  object: (userId: string, calendarId: string, name: string) => `${DAV_ROOT}calendars/${userId}/${calendarId}/${encodeURIComponent(name)}`,
};

/**
 * Reads a request path or an href (absolute URL or path, as clients send in multiget) into a target;
 * null when it is outside the DAV space or malformed.
 */
export function parseDavPath(pathOrUrl: string): DavTarget | null {
  let path = pathOrUrl;
  if (/^https?:\/\//i.test(path)) {
    try {
      path = new URL(path).pathname;
    } catch {
      return null;
    }
  }
  path = path.split('?')[0]!;
  if (!path.startsWith('/dav')) return null;
  let segments: string[];
  try {
    segments = path.slice(4).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
  const [area, userId, calendarId, name, ...rest] = segments;
  if (!area) return { kind: 'root' };
  if (rest.length > 0 || !userId) return null;
  if (area === 'principals') return calendarId ? null : { kind: 'principal', userId };
  if (area !== 'calendars') return null;
  if (!calendarId) return { kind: 'home', userId };
  if (!name) return { kind: 'calendar', userId, calendarId };
  return { kind: 'object', userId, calendarId, name };
}
