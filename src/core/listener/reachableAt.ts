import type { NetworkInterfaceInfo } from 'node:os';

/** True for an address only this computer can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * Every URL a listener bound to `host` can be reached at from other machines:
 * for a wildcard (`0.0.0.0`, `::`), each address of each interface (IPv4
 * only for `0.0.0.0`); otherwise the host itself. Loopback addresses are left
 * out: the point is to show who else can send events.
 */
export function reachableUrls(host: string, port: number, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  const h = host.replace(/^\[|\]$/g, '');
  const format = (address: string, family: string): string => `http://${family === 'IPv6' ? `[${address}]` : address}:${port}/`;
  if (h !== '0.0.0.0' && h !== '::') {
    return isLoopbackHost(h) ? [] : [format(h, h.includes(':') ? 'IPv6' : 'IPv4')];
  }
  const urls: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (info.internal || (h === '0.0.0.0' && info.family !== 'IPv4')) {
        continue;
      }
      urls.push(format(info.scopeid ? `${info.address}%${info.scopeid}` : info.address, info.family));
    }
  }
  return urls;
}
