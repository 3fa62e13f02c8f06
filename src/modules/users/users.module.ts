import type DataLoader from 'dataloader';
import type { AppModule } from '../../infra/module';
import { User } from './user.entity';
import { userByIdLoader } from './user.loaders';
import { UserResolver } from './user.resolver';
import { userRoutes } from './user.routes';
import { UserSchema } from './user.schemas';
import { type UserChangedHook, type UserCreatedHook, type UserDeletingHook, UserService } from './user.service';

declare module '../../infra/services' {
  interface Services {
    users: UserService;
  }
  interface Hooks {
    /** After a user is created, in the creating transaction: what every new user gets. */
    userCreated: UserCreatedHook;
    /** Before a user is deleted: the cache tags its deletion makes stale. */
    userDeleting: UserDeletingHook;
    /** After a user was changed or deleted: forget what is remembered of it. */
    userChanged: UserChangedHook;
  }
}

declare module '../../infra/loaders' {
  interface Loaders {
    userById: DataLoader<string, User>;
  }
}

/** Users: accounts, their time zone and role; /me and /users; the base every other module builds on. */
export const usersModule: AppModule = {
  name: 'users',
  entities: [User],
  resolvers: [UserResolver],
  httpSchemas: [UserSchema],
  routes: userRoutes,
  services: {
    users: ({ em, deps, hooks }) =>
      new UserService(em, {
        adminEmails: deps.config.adminEmails,
        cursors: deps.cursors,
        cache: deps.cache,
        onCreated: hooks('userCreated'),
        onDeleting: hooks('userDeleting'),
        onChanged: hooks('userChanged'),
      }),
  },
  loaders: {
    userById: ({ em }) => userByIdLoader(em),
  },
};
