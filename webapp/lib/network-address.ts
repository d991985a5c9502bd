import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/** The container's address on its Docker network: the first IPv4 that is not loopback. */
export function firstExternalIpv4(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string | undefined {
  for (const addresses of Object.values(interfaces)) {
    const found = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (found) return found.address;
  }
  return undefined;
}
