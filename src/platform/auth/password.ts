/** Argon2id password hashing and the password policy (≥ 8 characters of ≥ 3 kinds). */
import { hash, verify, type Algorithm } from "@node-rs/argon2";

// OWASP's Argon2id baseline: 19 MiB memory, 2 iterations, 1 lane.
const options = { algorithm: 2 as Algorithm /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** Kinds: lower-case letters, upper-case letters, digits, anything else. */
export function passwordProblem(password: string): "too_short" | "too_few_kinds" | undefined {
  if ([...password].length < 8) return "too_short";
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (kinds < 3) return "too_few_kinds";
  return undefined;
}
