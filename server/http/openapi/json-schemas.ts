import type { ZodType } from 'zod';
import { z } from '../../../shared/zod';

export type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

const COMPONENT_PREFIX = '#/components/schemas/';
/** Ids for unnamed schemas while they pass through a registry; they are written inline afterwards. */
const INLINE_PREFIX = '~inline~';

/**
 * Turns the contract's zod schemas into JSON Schema (draft 2020-12, OpenAPI 3.1's dialect).
 * Request bodies are converted as clients send them (zod's input side: defaults optional,
 * before transforms), responses as the server sends them (the output side). Named schemas
 * become `components/schemas` entries and every use of them a `$ref`.
 */
export class JsonSchemaSet {
  private readonly uses = { input: new Map<ZodType, string>(), output: new Map<ZodType, string>() };
  private converted?: { components: Record<string, JsonSchema>; inline: Map<string, JsonSchema> };

  constructor(private readonly names: ReadonlyMap<string, ZodType>, private readonly nameOf: (schema: ZodType) => string | undefined) {}

  /** Declares a use; returns a function giving its JSON Schema once `convert` has run. */
  use(schema: ZodType, io: Io): () => JsonSchema {
    const other = this.uses[io === 'input' ? 'output' : 'input'];
    const name = this.nameOf(schema);
    if (name && other.has(schema)) throw new Error(`schema ${name} is used both as a request body and as a response: give each side its own schema`);
    const uses = this.uses[io];
    if (!uses.has(schema)) uses.set(schema, name ?? `${INLINE_PREFIX}${io}${uses.size}`);
    const id = uses.get(schema)!;
    return () => {
      if (!this.converted) throw new Error('convert() first');
      return name ? { $ref: COMPONENT_PREFIX + name } : this.converted.inline.get(id)!;
    };
  }

  convert(): Record<string, JsonSchema> {
    const components: Record<string, JsonSchema> = {};
    const inline = new Map<string, JsonSchema>();
    // Every named schema not used as a request body is converted on the output side, so that
    // responses nesting it refer to it.
    const output = new Map(this.uses.output);
    for (const [name, schema] of this.names) if (!this.uses.input.has(schema) && !output.has(schema)) output.set(schema, name);
    for (const [io, uses] of [['input', this.uses.input], ['output', output]] as const) {
      const registry = z.registry<{ id: string }>();
      for (const [schema, id] of uses) registry.add(schema, { id });
      const { schemas } = z.toJSONSchema(registry, { io, target: 'draft-2020-12', unrepresentable: 'throw', uri: (id) => COMPONENT_PREFIX + id });
      for (const [id, json] of Object.entries(schemas)) {
        const { $schema: _dialect, $id: _id, ...schema } = json as JsonSchema;
        if (id.startsWith(INLINE_PREFIX)) inline.set(id, schema);
        else components[id] = schema;
      }
    }
    const dangling = JSON.stringify([components, [...inline.values()]]).match(/"#\/components\/schemas\/~inline~[^"]*"/);
    if (dangling) throw new Error(`an unnamed schema is nested in another schema (${dangling[0]}): name it in shared/api/components.ts`);
    this.converted = { components, inline };
    return components;
  }
}

/** A standalone schema (path or query parameters): converted on the input side, nothing referenced. */
export function inputJsonSchema(schema: ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'throw' }) as JsonSchema;
  return json;
}
