/** The shape of `generated/contract.ts`: what the mock validates requests and responses with. */

/** A JSON Schema (draft 2020-12) as the contract writes it. */
export type JsonSchema = { [keyword: string]: unknown };

export interface ContractResponse {
  /** `null` for responses without a body (204). */
  mediaType: string | null;
  schema: JsonSchema | null;
  /** Response headers by lower-case name. */
  headers: Record<string, { required: boolean; schema: JsonSchema }>;
}

export interface ContractOperation {
  /** `security: []`: no credential needed. */
  anonymous: boolean;
  /** One object schema per location; header names are lower case. */
  parameters: { path: JsonSchema | null; query: JsonSchema | null; header: JsonSchema | null };
  requestBody: { required: boolean; mediaType: string; schema: JsonSchema } | null;
  /** By status code (`'200'`, `'422'` …): inline, or the name of a shared response. */
  responses: Record<string, ContractResponse | string>;
}

export interface ContractDocument {
  $id: string;
  version: string;
  components: {
    schemas: Record<string, JsonSchema>;
    /** Shared responses (the problems) by name, e.g. `NotFound`. */
    responses: Record<string, ContractResponse>;
  };
  operations: Record<string, ContractOperation>;
}
