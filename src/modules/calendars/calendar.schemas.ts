import { Type } from '@sinclair/typebox';
import { DateTime, Description, Nullable, PageOf, PageQuery, TimeZone, Uuid } from '../../infra/http-schemas';

const Name = Type.String({ minLength: 1, maxLength: 200 });

export const CalendarSchema = Type.Object(
  {
    id: Uuid,
    ownerId: Uuid,
    name: Type.String(),
    description: Nullable(Type.String()),
    timeZone: Type.String(),
    isPrimary: Type.Boolean(),
    allowOverlaps: Type.Boolean({ description: 'CalDAV writes and imports may overlap other entries (REST uses force=true)' }),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Calendar' },
);

export const CreateCalendarBody = Type.Object(
  { name: Name, description: Type.Optional(Nullable(Description)), timeZone: Type.Optional(TimeZone), allowOverlaps: Type.Optional(Type.Boolean({ description: 'default false' })) },
  { additionalProperties: false },
);
export const PutCalendarBody = CreateCalendarBody;
export const PatchCalendarBody = Type.Partial(CreateCalendarBody, { additionalProperties: false, minProperties: 1 });
export const ListCalendarsQuery = Type.Object({ limit: PageQuery.limit, cursor: Type.Optional(PageQuery.cursor) });
export const CalendarPage = PageOf(Type.Ref('Calendar'));
