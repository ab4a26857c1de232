import { BlockList, isIPv6 } from 'node:net';
import type { Request } from 'express';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether the TCP peer is this machine: 127.0.0.0/8, ::1, or 127.x.x.x mapped into IPv6
 * (`::ffff:127.0.0.1`, which BlockList checks against the IPv4 rule). The socket's address, never
 * `req.ip`: that follows `X-Forwarded-For`, which any client can write.
 */
export function isLoopbackPeer(req: Request): boolean {
  const address = req.socket.remoteAddress;
  if (address === undefined) return false;
  return LOOPBACK.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
}
