import { ConfigError, loadConfig } from '../src/config/config';

describe('configuration', () => {
  it('when nothing is set, then the embedded defaults apply', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ databaseUrl: undefined, cacheUrl: 'memory://', port: 3000, rateLimitAuthPerMinute: 20, migrateOnStart: true, adminEmails: [] });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when values are set, then they are converted and normalised', () => {
    const config = loadConfig({ PORT: '8080', RATE_LIMIT_AUTH: '0', ADMIN_EMAILS: ' A@x.io, b@y.io ,', MIGRATE_ON_START: 'false', CACHE_URL: 'redis://127.0.0.1:6379' });
    expect(config).toMatchObject({ port: 8080, rateLimitAuthPerMinute: 0, adminEmails: ['a@x.io', 'b@y.io'], migrateOnStart: false, cacheUrl: 'redis://127.0.0.1:6379' });
  });

  it('when values are invalid, then one error names every bad variable', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', CACHE_URL: 'mongodb://x', DATABASE_URL: 'postgres://db/x', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT[\s\S]*CACHE_URL|CACHE_URL[\s\S]*PORT/);
    expect(attempt).toThrow(/JWT_SECRET: required when DATABASE_URL is set/);
    expect(attempt).toThrow(/LOG_LEVEL/);
  });

  it('when JWT_SECRET is too short, then it is refused', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });
});
