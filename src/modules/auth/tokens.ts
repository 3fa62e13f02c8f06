import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '../../infra/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An issued bearer token; `expiresIn` is in seconds. */
export interface AccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/**
 * Issues and verifies access tokens: JWT (RFC 7519) signed with HS256, `sub` = user id, `exp` after
 * `expiresInSeconds`. Roles are not trusted from the token; the user is loaded on every request.
 */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(secret: string, private readonly expiresInSeconds: number) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(userId: string): Promise<AccessToken> {
    const accessToken = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime(`${this.expiresInSeconds}s`)
      .sign(this.key);
    return { accessToken, tokenType: 'Bearer', expiresIn: this.expiresInSeconds };
  }

  /**
   * @returns the user id (`sub`, a UUID).
   * @throws AppError 401 when the token is malformed, forged or expired, or when its `sub` is not a
   *   UUID (a correctly signed token can still name no possible user).
   */
  async verify(token: string): Promise<string> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || !UUID.test(payload.sub)) throw new AppError('unauthenticated', 'invalid access token');
      return payload.sub;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new AppError('unauthenticated', 'access token expired');
      throw new AppError('unauthenticated', 'invalid access token');
    }
  }
}
