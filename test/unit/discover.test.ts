import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/discover/discover.js';
import { tempRepo } from '../helpers/temp-repo.js';

const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';

describe('discoverFiles', () => {
  it('walks YAML files and honours ignore rules', async () => {
    const root = tempRepo({
      'apps/a.yaml': doc,
      'apps/b.yml': doc,
      'apps/readme.md': '# no',
      '.gitignore': 'generated/\n',
      'generated/x.yaml': doc,
      '.sourceignore': '/secret-stash/\n',
      'secret-stash/x.yaml': doc,
      'apps/nested/.sourceignore': '*.local.yaml\n',
      'apps/nested/keep.yaml': doc,
      'apps/nested/dev.local.yaml': doc,
      'charts/web/Chart.yaml': 'name: web\nversion: 1.0.0\n',
      'charts/web/values.yaml': 'replicas: 1\n',
      'charts/web/templates/deploy.yaml': 'kind: {{ .Values.kind }}\n',
      'archive/old.yaml': doc,
      'apps/.archive/old.yaml': doc,
      '.github/workflows/ci.yaml': 'on: push\n',
      '.sops.yaml': 'creation_rules: []\n',
      'legacy/x.yaml': doc,
    });
    expect(await discoverFiles({ root, exclude: ['legacy/**'] })).toEqual([
      'apps/a.yaml',
      'apps/b.yml',
      'apps/nested/keep.yaml',
    ]);
  });

  it('never follows a symlink out of the root', async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-outside-'));
    writeFileSync(path.join(outside, 'leak.yaml'), doc);
    const root = tempRepo({ 'in.yaml': doc });
    symlinkSync(path.join(outside, 'leak.yaml'), path.join(root, 'leak.yaml'));
    mkdirSync(path.join(root, 'linked'));
    symlinkSync(outside, path.join(root, 'linked', 'dir'));
    expect(await discoverFiles({ root, exclude: [] })).toEqual(['in.yaml']);
  });
});
