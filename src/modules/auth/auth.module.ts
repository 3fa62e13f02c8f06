import type { AppModule } from '../../infra/module';
import type { RateLimiter } from '../../infra/rate-limit';
import type { ActorCache } from './actor-cache';
import { AppPassword } from './app-password.entity';
import { AppPasswordResolver } from './app-password.resolver';
import { appPasswordRoutes } from './app-password.routes';
import { AppPasswordService, type VerifiedCredentials } from './app-password.service';
import { AuthResolver } from './auth.resolver';
import { authRoutes } from './auth.routes';
import { AuthService } from './auth.service';
import type { TokenService } from './tokens';

declare module '../../infra/services' {
  interface AppDeps {
    /** Issues and verifies access tokens (JWT_SECRET, JWT_EXPIRES_IN). */
    tokens: TokenService;
    /** App-password checks remembered by this process (see VerifiedCredentials). */
    verifiedCredentials: VerifiedCredentials;
    /** Callers remembered by this process for a few seconds (see ActorCache). */
    actors: ActorCache;
    /** Login and registration attempts per client address and per account (RATE_LIMIT_AUTH a minute each). */
    authAttempts: RateLimiter;
  }
  interface Services {
    auth: AuthService;
    appPasswords: AppPasswordService;
  }
}

/**
 * Authentication: registration, login and bearer tokens, and app passwords (HTTP Basic, for CalDAV
 * clients). Its service turns an `Authorization` header into the request's `Actor` (src/app.ts calls
 * it for every protected route and GraphQL operation).
 */
export const authModule: AppModule = {
  name: 'auth',
  entities: [AppPassword],
  resolvers: [AuthResolver, AppPasswordResolver],
  publicRoutes: authRoutes,
  routes: appPasswordRoutes,
  services: {
    auth: ({ em, deps, services }) => new AuthService(em, services.users, deps.tokens, deps.actors, deps.authAttempts),
    appPasswords: ({ em, deps }) => new AppPasswordService(em, deps.verifiedCredentials),
  },
  hooks: {
    // A deleted user's token stops working, and a role change applies, at once in this process.
    userChanged: ({ deps }) => (userId) => deps.actors.evict(userId),
  },
};
