import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SourceWorkspace } from '../../src/render/workspace/workspace.js';
import { tempRepo } from '../helpers/temp-repo.js';

const open: SourceWorkspace[] = [];
afterEach(() => {
  for (const ws of open.splice(0)) ws.dispose();
});

describe('the build copy of a source', () => {
  const repo = () =>
    tempRepo({
      '.sourceignore': 'apps/base/ignored.yaml\n',
      'apps/base/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/base/cm.yaml': 'kind: ConfigMap\n',
      'apps/base/ignored.yaml': 'kind: Secret\n',
      'apps/dev/kustomization.yaml': 'resources: [../base]\n',
      'apps/prod/kustomization.yaml': 'resources: [../base]\n',
      'clusters/big/a.yaml': 'kind: ConfigMap\n',
    });

  it('holds only what a build reads, as the Flux artifact has it', () => {
    const root = repo();
    const ws = new SourceWorkspace(root, { overrides: new Map([['apps/base/cm.yaml', 'kind: Unsaved\n']]) });
    open.push(ws);
    const dir = ws.prepareTarget('apps/dev', { 'kustomization.yaml': 'resources: [../base]\n' }, [
      'apps/base',
      'apps/dev',
    ]);
    // The build sees its base through the links, with the unsaved buffer, without the ignored file.
    expect(readFileSync(path.join(dir, '../base/cm.yaml'), 'utf8')).toBe('kind: Unsaved\n');
    expect(existsSync(path.join(dir, '../base/ignored.yaml'))).toBe(false);
    // Nothing the build does not read was copied, and nothing outside the repository's copy is linked.
    expect(existsSync(path.join(ws.base, 'src/clusters'))).toBe(false);
    expect(existsSync(path.join(ws.base, 'src/apps/prod'))).toBe(false);
    expect(realpathSync(path.join(dir, '../base')).startsWith(realpathSync(ws.base))).toBe(true);
  });

  it('copies the whole source for a build whose reads are not known', () => {
    const ws = new SourceWorkspace(repo());
    open.push(ws);
    ws.prepareTarget('apps/dev', { 'kustomization.yaml': 'resources: [../base]\n' });
    expect(existsSync(path.join(ws.base, 'src/clusters/big/a.yaml'))).toBe(true);
    expect(existsSync(path.join(ws.base, 'src/apps/base/ignored.yaml'))).toBe(false);
  });
});
