import { BlockedAddressError, isPublicAddress, resolvePublic } from '../../../src/modules/webhooks/ssrf-guard';
import { DEFAULT_RETRY_SCHEDULE, nextRetryDelay } from '../../../src/modules/webhooks/retry-schedule';
import { loadConfig } from '../../../src/config/config';

describe('webhook target addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fd00::1', 'IPv6 unique-local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['64:ff9b::a00:1', 'NAT64 of a private address'],
    ['not an address', 'garbage'],
  ])('when the address is %s (%s), then it is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])('when the address is %s, then it is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('when an IP literal is private, then resolvePublic refuses it unless private targets are allowed', async () => {
    await expect(resolvePublic('10.0.0.5', false)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(resolvePublic('[::1]', false)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(resolvePublic('10.0.0.5', true)).resolves.toEqual([{ address: '10.0.0.5', family: 4 }]);
  });

  it('when a name resolves to loopback (localhost), then resolvePublic refuses it', async () => {
    await expect(resolvePublic('localhost', false)).rejects.toBeInstanceOf(BlockedAddressError);
  });
});

describe('webhook retry schedule', () => {
  it('when nothing is configured, then retries span at least 24 hours', () => {
    expect(DEFAULT_RETRY_SCHEDULE.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(24 * 3600);
    expect(loadConfig({}).webhooks.retrySchedule).toEqual(DEFAULT_RETRY_SCHEDULE);
  });

  it('when attempt n failed, then the n-th delay follows; after the last one, none', () => {
    expect(nextRetryDelay([1, 2, 3], 1)).toBe(1);
    expect(nextRetryDelay([1, 2, 3], 3)).toBe(3);
    expect(nextRetryDelay([1, 2, 3], 4)).toBeNull();
    expect(nextRetryDelay([], 1)).toBeNull();
  });

  it('when WEBHOOK_RETRY_SCHEDULE is set, then it is parsed; when malformed, then the configuration is refused', () => {
    expect(loadConfig({ WEBHOOK_RETRY_SCHEDULE: ' 1, 2 ,3' }).webhooks.retrySchedule).toEqual([1, 2, 3]);
    for (const bad of ['1,,2', 'a,b', '-1', '1.5', '1;2']) expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: bad })).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'maybe' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
  });
});
