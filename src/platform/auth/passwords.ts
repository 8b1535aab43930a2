import { type Algorithm, hash, verify } from "@node-rs/argon2";

/**
 * Staff passwords, hashed with argon2id. The costs are OWASP's minimum for argon2id (19 MiB, 2 passes,
 * 1 thread): strong enough for staff accounts and quick enough to hash a handful at seed time. The
 * parameters travel inside the PHC string, so raising them later still verifies old hashes.
 */

// The package's Algorithm is a const enum, which erasable-syntax TypeScript cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export async function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** False for a wrong password and for a malformed stored hash (never throws on bad input). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
