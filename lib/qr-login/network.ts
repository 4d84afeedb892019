import { isIP } from "node:net";

/** An address in a form that can be compared: IPv4-mapped IPv6 becomes plain IPv4. */
function normalize(ip: string): string | undefined {
  let address = ip.trim().toLowerCase();
  if (address.startsWith("[") && address.endsWith("]")) address = address.slice(1, -1);
  address = address.split("%")[0] ?? address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) address = mapped[1];
  return isIP(address) ? address : undefined;
}

function isLoopback(ip: string): boolean {
  return ip === "::1" || ip.startsWith("127.");
}

function ipv6Groups(ip: string): number[] | undefined {
  if (ip.includes(".")) return undefined;
  const [head = "", tail] = ip.split("::");
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((group) => parseInt(group, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...new Array<number>(Math.max(0, zeros)).fill(0), ...right];
  return groups.length === 8 && groups.every((group) => Number.isInteger(group)) ? groups : undefined;
}

/**
 * The key a per-address rate limit counts under: an IPv4 address itself, an IPv6 address's /64
 * (one subscriber usually holds a whole /64, so per /128 it could rotate freely), or undefined.
 */
export function rateLimitKeyOf(ip: string | undefined): string | undefined {
  const address = ip && normalize(ip);
  if (!address) return undefined;
  if (isIP(address) === 4) return address;
  const groups = ipv6Groups(address);
  return groups ? `${groups.slice(0, 4).map((group) => group.toString(16)).join(":")}::/64` : address;
}

/**
 * Whether two addresses look like one network: the same /24 for IPv4, the same /64 for IPv6,
 * or both loopback. Undefined when either is unknown. A hint for the person confirming, not a
 * security boundary (NAT, VPNs and mobile data all blur it).
 */
export function isSameNetwork(a: string | undefined, b: string | undefined): boolean | undefined {
  const first = a && normalize(a);
  const second = b && normalize(b);
  if (!first || !second) return undefined;
  if (isLoopback(first) && isLoopback(second)) return true;
  const version = isIP(first);
  if (version !== isIP(second)) return false;
  if (version === 4) return first.split(".").slice(0, 3).join(".") === second.split(".").slice(0, 3).join(".");
  const x = ipv6Groups(first);
  const y = ipv6Groups(second);
  if (!x || !y) return first === second;
  return x.slice(0, 4).every((group, index) => group === y[index]);
}
