import * as assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { isLoopbackHost, reachableUrls } from '../../../../src/core/listener/reachableAt';

const interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  eth0: [
    { address: '192.168.1.20', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '192.168.1.20/24' },
    { address: '2001:db8::20', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: '2001:db8::20/64', scopeid: 0 },
  ],
};

describe('where a listener is reachable from', () => {
  it('lists every non-loopback interface address for a wildcard bind, and nothing for loopback', () => {
    assert.deepEqual(reachableUrls('0.0.0.0', 8765, interfaces), ['http://192.168.1.20:8765/']);
    assert.deepEqual(reachableUrls('::', 8765, interfaces), ['http://192.168.1.20:8765/', 'http://[2001:db8::20]:8765/']);
    assert.deepEqual(reachableUrls('192.168.1.20', 1, interfaces), ['http://192.168.1.20:1/']);
    assert.deepEqual(reachableUrls('127.0.0.1', 1, interfaces), []);
    assert.ok(isLoopbackHost('127.0.0.2') && isLoopbackHost('[::1]') && isLoopbackHost('localhost'));
    assert.ok(!isLoopbackHost('0.0.0.0') && !isLoopbackHost('192.168.1.20'));
  });
});
