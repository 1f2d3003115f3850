import { defineRules } from './rule-meta.js';

export const yamlRules = defineRules([
  {
    id: 'yaml/syntax',
    source: 'yaml',
    defaultSeverity: 'error',
    description: 'The file is not YAML that Flux (go-yaml) reads; Flux cannot read it.',
  },
  {
    id: 'yaml/too-large',
    source: 'yaml',
    defaultSeverity: 'error',
    description:
      'A YAML document is larger than the 3 MiB the Kubernetes API server accepts in one object (also once aliases are expanded); it is not read.',
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
  {
    id: 'yaml/invalid-identity',
    source: 'yaml',
    defaultSeverity: 'error',
    description:
      'A Kubernetes object has an apiVersion, kind, metadata.name or metadata.namespace that is not a string (name: 123).',
  },
]);
