import type { ZodType } from 'zod';

const nameOf = new Map<ZodType, string>();
const schemaOf = new Map<string, ZodType>();

/**
 * Gives a schema a name under `components/schemas`, so every use of it becomes a `$ref`.
 * Unnamed schemas are written inline where they are used.
 */
export function named<T extends ZodType>(name: string, schema: T): T {
  const previous = schemaOf.get(name);
  if (previous && previous !== schema) throw new Error(`schema name ${name} is already taken by another schema`);
  const existing = nameOf.get(schema);
  if (existing && existing !== name) throw new Error(`schema already named ${existing}, cannot rename it ${name}`);
  nameOf.set(schema, name);
  schemaOf.set(name, schema);
  return schema;
}

export function schemaName(schema: ZodType): string | undefined {
  return nameOf.get(schema);
}

/** Every named schema, in the order they were named. */
export function namedSchemas(): ReadonlyMap<string, ZodType> {
  return schemaOf;
}
