import { defineRules } from './rule-meta.js';

export const yamlRules = defineRules([
  {
    id: 'yaml/syntax',
    source: 'yaml',
    defaultSeverity: 'error',
    description: 'The file is not valid YAML; Flux cannot read it.',
  },
  {
    id: 'yaml/duplicate-key',
    source: 'yaml',
    defaultSeverity: 'error',
    description: 'A mapping has the same key twice; kustomize and the API server reject it.',
  },
  {
    id: 'yaml/missing-apiversion',
    source: 'yaml',
    defaultSeverity: 'error',
    description: 'A Kubernetes object (it has kind and metadata.name) has no apiVersion.',
  },
  {
    id: 'yaml/missing-kind',
    source: 'yaml',
    defaultSeverity: 'error',
    description: 'A Kubernetes object (it has apiVersion and metadata.name) has no kind.',
  },
]);
