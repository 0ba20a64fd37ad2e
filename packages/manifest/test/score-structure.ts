/**
 * No npm package ships the Score v1b1 JSON Schema, so this is a focused structural schema
 * written for the test from the Score v1b1 specification (score.dev): the parts of a
 * workload this export fills, with the spec's required fields, name rules and closed
 * objects. It is not the upstream file; it checks the same constraints on those parts.
 */
const DNS_LABEL = {
  type: 'string',
  minLength: 2,
  maxLength: 63,
  pattern: '^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$',
};
const ANNOTATIONS = {
  type: 'object',
  additionalProperties: { type: 'string' },
  propertyNames: {
    minLength: 2,
    maxLength: 316,
    pattern:
      '^(([a-z0-9][a-z0-9-]{0,61}[a-z0-9])(\\.[a-z0-9][a-z0-9-]{0,61}[a-z0-9])*/)?[A-Za-z0-9][A-Za-z0-9._-]{0,61}[A-Za-z0-9]$',
  },
};
const PORT = { type: 'integer', minimum: 1, maximum: 65535 };
const PROBE = {
  type: 'object',
  additionalProperties: false,
  required: ['httpGet'],
  properties: {
    httpGet: {
      type: 'object',
      additionalProperties: false,
      required: ['port', 'path'],
      properties: { path: { type: 'string' }, port: PORT },
    },
  },
};
const LIMITS = {
  type: 'object',
  additionalProperties: false,
  properties: {
    memory: { type: 'string', pattern: '^[1-9]\\d*(K|M|G|T|Ki|Mi|Gi|Ti)?$' },
    cpu: { type: 'string', pattern: '^\\d*(?:m|\\.\\d+)?$' },
  },
};

export const SCORE_V1B1_STRUCTURE = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'metadata', 'containers'],
  properties: {
    apiVersion: { type: 'string', pattern: '^score\\.dev/v1b1$' },
    metadata: {
      type: 'object',
      required: ['name'],
      properties: { name: DNS_LABEL, annotations: ANNOTATIONS },
    },
    service: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ports: {
          type: 'object',
          propertyNames: DNS_LABEL,
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['port'],
            properties: { port: PORT, targetPort: PORT, protocol: { enum: ['TCP', 'UDP'] } },
          },
        },
      },
    },
    containers: {
      type: 'object',
      minProperties: 1,
      propertyNames: DNS_LABEL,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['image'],
        properties: {
          image: { type: 'string', minLength: 1 },
          command: { type: 'array', items: { type: 'string' } },
          args: { type: 'array', items: { type: 'string' } },
          variables: {
            type: 'object',
            propertyNames: { minLength: 1, pattern: '^[^=]+$' },
            additionalProperties: { type: 'string' },
          },
          resources: {
            type: 'object',
            additionalProperties: false,
            properties: { limits: LIMITS, requests: LIMITS },
          },
          readinessProbe: PROBE,
          livenessProbe: PROBE,
        },
      },
    },
    resources: {
      type: 'object',
      propertyNames: DNS_LABEL,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['type'],
        properties: {
          type: {
            type: 'string',
            minLength: 2,
            maxLength: 63,
            pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9]$',
          },
          class: {
            type: 'string',
            minLength: 2,
            maxLength: 63,
            pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9]$',
          },
          id: {
            type: 'string',
            minLength: 2,
            maxLength: 63,
            pattern: '^[a-z0-9]+(?:-+[a-z0-9]+)*(?:\\.[a-z0-9]+(?:-+[a-z0-9]+)*)*$',
          },
          metadata: { type: 'object', properties: { annotations: ANNOTATIONS } },
          params: { type: 'object' },
        },
      },
    },
  },
} as const;
