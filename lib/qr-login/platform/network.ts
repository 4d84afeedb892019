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
 * The nested networks an IPv6 address is counted in, narrowest first, each with a budget this many
 * times a single address's. A subscriber holds a whole /64 (so per /128 it could rotate freely); a
 * home is given a /56 (256 /64s) and a site or a free tunnel a /48 (65,536): counted per /64 alone,
 * one /48 would get 65,536 budgets. 4 and 16: a home's few active subnets (its LAN, a guest and an
 * IoT network) each at a full budget; a /48 (an office, a campus, a carrier's block of phones)
 * sixteen.
 */
export const IPV6_NETWORKS = [
  { prefixLength: 64, factor: 1 },
  { prefixLength: 56, factor: 4 },
  { prefixLength: 48, factor: 16 },
] as const;

/** One network a per-address limit counts in, and its budget's multiple of one address's. */
export type AddressNetwork = { key: string; factor: number };

function ipv6Prefix(groups: number[], prefixLength: number): string {
  const kept = groups.map((group, index) => {
    const bits = Math.min(16, Math.max(0, prefixLength - index * 16));
    return bits === 0 ? 0 : group & (0xffff << (16 - bits)) & 0xffff;
  });
  return `${kept.slice(0, Math.ceil(prefixLength / 16)).map((group) => group.toString(16)).join(":")}::/${prefixLength}`;
}

/**
 * Every network a per-address rate limit counts the client at `ip` in, narrowest first: an IPv4
 * address alone (a /24 holds unrelated subscribers, and IPv4 addresses are scarce and cost money
 * to rotate), an IPv6 address's /64, /56 and /48 (IPV6_NETWORKS); undefined when it is unknown.
 */
export function rateLimitNetworksOf(ip: string | undefined): AddressNetwork[] | undefined {
  const address = ip && normalize(ip);
  if (!address) return undefined;
  if (isIP(address) === 4) return [{ key: address, factor: 1 }];
  const groups = ipv6Groups(address);
  if (!groups) return [{ key: address, factor: 1 }];
  return IPV6_NETWORKS.map(({ prefixLength, factor }) => ({ key: ipv6Prefix(groups, prefixLength), factor }));
}

/** The narrowest of rateLimitNetworksOf: an IPv4 address itself, an IPv6 address's /64, or undefined. */
export function rateLimitKeyOf(ip: string | undefined): string | undefined {
  return rateLimitNetworksOf(ip)?.[0]?.key;
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
