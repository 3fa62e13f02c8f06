import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (OWASP-recommended: 19 MiB, 2 iterations, 1 lane). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** A valid hash of a random password, verified when the email is unknown so both paths take as long. */
const DECOY_HASH = hash('decoy-password-for-constant-time-login');

/**
 * Checks `password` against `passwordHash` (or a decoy when the user does not exist, so timing does not
 * reveal which emails are registered).
 */
export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  const ok = await verify(passwordHash ?? (await DECOY_HASH), password).catch(() => false);
  return ok && passwordHash != null;
}
