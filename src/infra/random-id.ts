import { randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so an id read out on the phone is heard as it is written. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 13;

/**
 * A new record's id: `prefix` and 65 random bits. Eight hex digits (32 bits) were not enough: among
 * 100,000 tickets two share an id with a probability of 69 %, and a vendor passes that in a few years.
 * At 65 bits, ten million ids collide with a probability of about one in 700,000.
 */
export function randomId(prefix: string): string {
  let id = prefix;
  // 256 is a multiple of 32, so the low five bits of a random byte are uniform.
  for (const b of randomBytes(LENGTH)) id += ALPHABET[b & 31];
  return id;
}
