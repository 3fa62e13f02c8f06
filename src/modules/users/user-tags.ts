/** Cache tags of the users module (src/infra/cache.ts): values read from a user's own data. */
export const UserTags = {
  /** A user's own data: time zone, sign-up date, subscriptions, linked rules. */
  user: (userId: string) => `user:${userId}`,
};
