import { Type } from '@sinclair/typebox';
import { DateTime, Email, PageOf, PageQuery, StringEnum, TimeZone, Uuid } from '../../infra/http-schemas';

const Name = Type.String({ minLength: 1, maxLength: 200 });
export const Password = Type.String({ minLength: 8, maxLength: 200, description: '8 to 200 characters' });
const Role = StringEnum(['user', 'admin']);

export const UserSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    email: Type.String(),
    timeZone: Type.String(),
    signedUpAt: DateTime,
    role: Role,
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'User' },
);

export const CreateUserBody = Type.Object(
  { name: Name, email: Email, password: Type.Optional(Password), timeZone: Type.Optional(TimeZone), signedUpAt: Type.Optional(DateTime), role: Type.Optional(Role) },
  { additionalProperties: false },
);

export const PutUserBody = Type.Object(
  { name: Name, email: Email, timeZone: TimeZone, signedUpAt: Type.Optional(DateTime), role: Type.Optional(Role), password: Type.Optional(Password) },
  { additionalProperties: false },
);

export const PatchUserBody = Type.Partial(PutUserBody, { additionalProperties: false, minProperties: 1 });

export const ListUsersQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 200, description: 'part of the name or email, case-insensitive' })),
  limit: PageQuery.limit,
  cursor: Type.Optional(PageQuery.cursor),
});

export const UserPage = PageOf(Type.Ref('User'));
