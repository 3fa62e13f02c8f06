import dns from 'node:dns';
import type { LookupAddress, LookupOneOptions } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Whether `address` (IPv4 or IPv6 text) is a public unicast address. Everything ipaddr.js classifies
 * otherwise is refused: loopback, private (RFC 1918), link-local (169.254/16 with cloud metadata,
 * fe80::/10), unique-local (fc00::/7), carrier-grade NAT, unspecified, multicast, broadcast, reserved,
 * NAT64 / 6to4 / Teredo (they can tunnel to any IPv4). IPv4-mapped IPv6 is judged as its IPv4.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/** A webhook target that resolves to an address the service must not call. */
export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  constructor(readonly host: string, readonly address: string) {
    super(`${host} resolves to ${address}, which is not a public address`);
  }
}

/**
 * Resolves `hostname` (or takes it as is when it is an IP literal) and checks every address.
 * @returns the addresses, in resolver order.
 * @throws BlockedAddressError when one of them is not public (unless `allowPrivate`); the resolver's
 *   error (ENOTFOUND, …) when it does not resolve.
 */
export async function resolvePublic(hostname: string, allowPrivate: boolean): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await dns.promises.lookup(host, { all: true, verbatim: true });
  if (!allowPrivate) {
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) throw new BlockedAddressError(host, bad.address);
  }
  return addresses;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `http.request`/`net.connect` that refuses non-public addresses at connection time,
 * so a name that resolved to a public address when checked cannot rebind to an internal one by the
 * time the socket connects (DNS rebinding). IP literals skip `lookup` in Node: check them with
 * {@link resolvePublic} before the request.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOneOptions & { all?: boolean }, callback: LookupCallback): void => {
    resolvePublic(hostname, allowPrivate).then(
      (addresses) => {
        const wanted = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} has no address of family ${options.family}`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return callback(null, wanted);
        return callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
