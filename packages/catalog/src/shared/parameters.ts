/** Parameter schema pieces several services share. */
import { DRAFT_2020_12, type JsonSchemaNode } from './json-schema';

/** A service without parameters for this step: any key is rejected. */
export const NO_PARAMETERS = {
  $schema: DRAFT_2020_12,
  type: 'object',
  additionalProperties: false,
  properties: {},
} as const satisfies JsonSchemaNode;

/** Binding parameters of a service whose engine grants read-only access natively. */
export const readOnlyBinding = <const D extends string>(description: D) =>
  ({
    $schema: DRAFT_2020_12,
    type: 'object',
    additionalProperties: false,
    properties: { readOnly: { type: 'boolean', default: false, description } },
    examples: [{}, { readOnly: true }],
  }) as const satisfies JsonSchemaNode;
