import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempRepo } from '../helpers/temp-repo.js';

const alert = (kind: string) => `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata:
  name: operator
  namespace: flux-system
spec:
  providerRef:
    name: slack
  eventSources:
    - kind: ${kind}
      name: "*"
`;

describe('Alerts on Flux Operator objects (onedr0p/home-ops)', () => {
  it('accepts the kinds the Flux Operator adds to event sources, and still catches a typo', async () => {
    for (const kind of ['FluxInstance', 'ResourceSet', 'Kustomization']) {
      const run = await runCli(['validate', '-f', 'json', '--no-cache'], {
        cwd: tempRepo({ 'alert.yaml': alert(kind) }),
      });
      const ids = (JSON.parse(run.stdout).diagnostics as { ruleId: string }[]).map((d) => d.ruleId);
      expect(ids, kind).not.toContain('schema/invalid');
    }
    const typo = await runCli(['validate', '-f', 'json', '--no-cache'], {
      cwd: tempRepo({ 'alert.yaml': alert('Fluxinstance') }),
    });
    expect((JSON.parse(typo.stdout).diagnostics as { ruleId: string }[]).map((d) => d.ruleId)).toContain(
      'schema/invalid',
    );
  });
});
