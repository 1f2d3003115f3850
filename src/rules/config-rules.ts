import { defineRules } from './rule-meta.js';

export const configRules = defineRules([
  {
    id: 'config/unused-suppression',
    source: 'config',
    defaultSeverity: 'info',
    description: 'A fluxgate-disable-next-line comment or fluxgate.io/ignore annotation suppressed nothing.',
  },
]);
