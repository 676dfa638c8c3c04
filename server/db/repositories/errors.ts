/** A unique key already holds this value; services turn it into a user-facing conflict. */
export class AlreadyExistsError extends Error {
  constructor(readonly entity: string, readonly key: string) {
    super(`${entity} already exists: ${key}`);
    this.name = 'AlreadyExistsError';
  }
}
