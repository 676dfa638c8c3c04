import argon2 from 'argon2';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** argon2id with OWASP's minimum cost (19 MiB, 2 passes): about 30–60 ms a check on this kind of machine. */
export const argon2Hasher: PasswordHasher = {
  hash: (password) => argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 }),
  async verify(hash, password) {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false; // a malformed stored hash must not turn into a 500 at login
    }
  },
};
