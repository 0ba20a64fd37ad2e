/**
 * The subset of JSON Schema 2020-12 the catalog's schemas are written in, and `FromSchema`,
 * which turns such a schema (declared `as const`) into the TypeScript type of the values it
 * accepts. One source for both: the platform validates with the schema, the SDK checks the
 * same shape at compile time.
 *
 * Keywords `FromSchema` reads: `type`, `const`, `enum`, `properties`, `required`, `items`,
 * `oneOf` (branches of an object). Keywords that only narrow values within the TypeScript
 * type (`pattern`, `format`, `minimum`, `maxLength`, `uniqueItems` …) and annotations
 * (`description`, `default`, `examples`) are kept for the validator and ignored here, so a
 * TypeScript type can be looser than its schema but never stricter. The catalog's tests
 * reject any other keyword.
 */

type Primitive = string | number | boolean;

/** A schema node of the subset (declared `as const`, so every field is read-only). */
export interface JsonSchemaNode {
  readonly $schema?: string;
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly title?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
  readonly const?: Primitive;
  readonly enum?: readonly Primitive[];
  readonly properties?: { readonly [name: string]: JsonSchemaNode };
  readonly required?: readonly string[];
  readonly additionalProperties?: false;
  readonly oneOf?: readonly JsonSchemaNode[];
  readonly items?: JsonSchemaNode;
  readonly uniqueItems?: boolean;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
}

/** Flattens intersections so editors show one object type. */
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type RequiredKeys<S> = S extends { readonly required: readonly (infer K)[] } ? K : never;

/** The declared properties of an object node: required ones plain, the others optional. */
type Fields<S, P> = Simplify<
  { -readonly [K in keyof P as K extends RequiredKeys<S> ? K : never]: FromSchema<P[K]> } & {
    -readonly [K in keyof P as K extends RequiredKeys<S> ? never : K]?: FromSchema<P[K]>;
  }
>;

type PropertiesOf<S> = S extends { readonly properties: infer P } ? P : Record<never, never>;

/** One `oneOf` branch, intersected with the object's own properties (distributes). */
type Branch<S, V> = V extends unknown
  ? Simplify<Fields<S, PropertiesOf<S>> & Fields<V, PropertiesOf<V>>>
  : never;

type ObjectOf<S> = S extends { readonly oneOf: readonly (infer V)[] }
  ? Branch<S, V>
  : keyof PropertiesOf<S> extends never
    ? // `{}` would accept anything; an object without properties accepts no keys at all.
      Record<string, never>
    : Fields<S, PropertiesOf<S>>;

/** The TypeScript type of the values a schema of the subset accepts. */
export type FromSchema<S> = S extends { readonly const: infer C }
  ? C
  : S extends { readonly enum: readonly (infer E)[] }
    ? E
    : S extends { readonly type: 'string' }
      ? string
      : S extends { readonly type: 'integer' | 'number' }
        ? number
        : S extends { readonly type: 'boolean' }
          ? boolean
          : S extends { readonly type: 'array'; readonly items: infer I }
            ? readonly FromSchema<I>[]
            : S extends { readonly type: 'object' }
              ? ObjectOf<S>
              : unknown;

/** The `$schema` of every top-level schema in the catalog. */
export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';
