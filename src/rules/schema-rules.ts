import { defineRules } from './rule-meta.js';

export const schemaRules = defineRules([
  {
    id: 'schema/invalid',
    source: 'schema',
    defaultSeverity: 'error',
    description:
      'A value does not match its field schema (type, enum, pattern, required, list keys, metadata formats).',
  },
  {
    id: 'schema/unknown-field',
    source: 'schema',
    defaultSeverity: 'error',
    description: 'A field the schema does not define; the API server rejects it (strict field validation).',
  },
  {
    id: 'schema/cel',
    source: 'schema',
    defaultSeverity: 'error',
    description: "A CRD's x-kubernetes-validations CEL rule fails for this object.",
  },
  {
    id: 'schema/missing',
    source: 'schema',
    defaultSeverity: 'warning',
    description:
      'No schema for a kind (repository CRD, bundled, catalog or schema location): its objects are not validated.',
  },
  {
    id: 'schema/deprecated-api',
    source: 'schema',
    defaultSeverity: 'warning',
    description:
      'The apiVersion is deprecated in the Flux or Kubernetes version in use; names the replacement.',
  },
  {
    id: 'schema/removed-api',
    source: 'schema',
    defaultSeverity: 'error',
    description:
      'The apiVersion is no longer served by the Flux or Kubernetes version in use; names the replacement.',
  },
]);
