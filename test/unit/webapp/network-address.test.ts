import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { firstExternalIpv4 } from '../../../webapp/lib/network-address.ts';

const loopback: NetworkInterfaceInfo = { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' };
const linkLocal6: NetworkInterfaceInfo = { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:42:ac:11:00:02', internal: false, cidr: 'fe80::1/64', scopeid: 2 };
const eth0: NetworkInterfaceInfo = { address: '172.18.0.3', netmask: '255.255.0.0', family: 'IPv4', mac: '02:42:ac:11:00:02', internal: false, cidr: '172.18.0.3/16' };

test('skips loopback and IPv6 to find the container address', () => {
  assert.equal(firstExternalIpv4({ lo: [loopback], eth0: [linkLocal6, eth0] }), '172.18.0.3');
});

test('no external IPv4 gives undefined', () => {
  assert.equal(firstExternalIpv4({ lo: [loopback], eth0: [linkLocal6] }), undefined);
  assert.equal(firstExternalIpv4({}), undefined);
});
