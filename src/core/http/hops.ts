import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Where a request may go, checked for every hop (the first URL and each
 * redirect) before a socket opens. URLs come from events and redirects chosen
 * by whoever wrote them, so without this a 302 could aim the client at any
 * protocol handler or at the cloud metadata service, which hands out the
 * machine's credentials to anyone who can make it send a GET.
 */

/** Why a hop was refused. */
export type HopRefusal = 'scheme' | 'downgrade' | 'tooManyRedirects' | 'address' | 'notAllowed';

export class HopRefusedError extends Error {
  constructor(
    message: string,
    readonly refusal: HopRefusal,
  ) {
    super(message);
    this.name = 'HopRefusedError';
  }
}

/**
 * Link-local networks (where cloud metadata services live: 169.254.169.254,
 * fd00:ec2::254 on EC2's IPv6). Loopback and private networks stay reachable:
 * a user fetching from their own MinIO or a local test server is normal.
 * BlockList also matches IPv4-mapped IPv6 forms (::ffff:169.254.169.254).
 */
const forbidden = new BlockList();
forbidden.addSubnet('169.254.0.0', 16, 'ipv4');
forbidden.addSubnet('fe80::', 10, 'ipv6');
forbidden.addAddress('fd00:ec2::254', 'ipv6');

/** A reason when `address` (an IP literal) may never be connected to, else undefined. */
export function forbiddenAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) {
    return undefined;
  }
  return forbidden.check(address, family === 4 ? 'ipv4' : 'ipv6')
    ? `${address} is a link-local or cloud metadata address, which downloads never go to`
    : undefined;
}

/** The host of a URL without IPv6 brackets. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Checks one hop: `http:`/`https:` only, no step down from https to http, and
 * no link-local or metadata IP literal (names are checked again once resolved,
 * see {@link checkedLookup}). Throws {@link HopRefusedError}.
 */
export function checkHop(next: URL, previous?: URL): void {
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new HopRefusedError(
      previous ? `A redirect pointed at a ${next.protocol} address; only http and https are followed.` : `Only http and https links can be fetched (this one is ${next.protocol}).`,
      'scheme',
    );
  }
  if (previous?.protocol === 'https:' && next.protocol === 'http:') {
    throw new HopRefusedError(`A redirect stepped down from https to plain http (${next.host}); it was not followed.`, 'downgrade');
  }
  const reason = forbiddenAddressReason(bareHost(next));
  if (reason) {
    throw new HopRefusedError(`Refused: ${reason}.`, 'address');
  }
}

/**
 * Resolves a redirect's `Location` against the current URL and checks the
 * new hop; `count` is the number of redirects followed so far, this one included.
 */
export function nextHop(location: string, current: URL, count: number, maxRedirects: number): URL {
  if (count > maxRedirects) {
    throw new HopRefusedError(`Too many redirects (more than ${maxRedirects}).`, 'tooManyRedirects');
  }
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    throw new HopRefusedError('A redirect pointed at something that is not a URL.', 'scheme');
  }
  checkHop(next, current);
  return next;
}

/** `dns.lookup`'s shape (callback form), so tests and callers can resolve names their own way. */
export type LookupFunction = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemLookup: LookupFunction = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/** Resolves a host name and refuses it when any of its addresses is forbidden (DNS can point anywhere). */
export function resolveChecked(hostname: string, lookup: LookupFunction = systemLookup, family?: number): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    const literal = isIP(hostname);
    if (literal !== 0) {
      const reason = forbiddenAddressReason(hostname);
      if (reason) {
        reject(new HopRefusedError(`Refused: ${reason}.`, 'address'));
      } else {
        resolve([{ address: hostname, family: literal }]);
      }
      return;
    }
    lookup(hostname, { all: true, family: family ?? 0 }, (err, addresses) => {
      if (err) {
        reject(err);
        return;
      }
      for (const { address } of addresses) {
        const reason = forbiddenAddressReason(address);
        if (reason) {
          reject(new HopRefusedError(`Refused: ${hostname} resolves to ${address}; ${reason.replace(/^\S+ is /, 'that is ')}.`, 'address'));
          return;
        }
      }
      if (addresses.length === 0) {
        reject(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }));
        return;
      }
      resolve(addresses);
    });
  });
}

/**
 * A `lookup` for node:http/node:https/net that resolves with
 * {@link resolveChecked}: the connection goes to the address that was checked,
 * never to one a second resolution might return.
 */
export function checkedLookup(lookup?: LookupFunction) {
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: (...args: unknown[]) => void): void => {
    resolveChecked(hostname, lookup, options.family === 4 || options.family === 6 ? options.family : undefined).then(
      (addresses) => (options.all ? callback(null, addresses) : callback(null, addresses[0].address, addresses[0].family)),
      (err: Error) => callback(err),
    );
  };
}
