// Kustomizations, Flux Kustomizations and the file system of issues 18 and 19: what must fail a
// build, be a finding, or be left alone, and never be read outside the repository.
import { cm, type HostileCase, kustomization } from './hostile-case.js';

const failed = (file: string, message?: string) => ({
  file,
  ruleId: 'kustomize/build-failed',
  ...(message ? { message } : {}),
});

export function namedRenderCases(): HostileCase[] {
  const images = (n: number, indent: string) =>
    Array.from(
      { length: n },
      (_, i) => `${indent}- name: registry.example.com/img${i}\n${indent}  newTag: v${i}\n`,
    ).join('');
  return [
    // kustomization.yaml that is not a mapping.
    {
      name: 'kustomization-list',
      files: { 'kustomization.yaml': '- a.yaml\n- b.yaml\n' },
      expect: [failed('kustomization.yaml', 'cannot unmarshal array')],
    },
    {
      name: 'kustomization-scalar',
      files: { 'kustomization.yaml': 'resources\n' },
      expect: [failed('kustomization.yaml', 'cannot unmarshal string')],
    },
    {
      name: 'kustomization-binary',
      files: { 'kustomization.yaml': Uint8Array.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x81, 10]) },
      expect: [{ file: 'kustomization.yaml', ruleId: 'yaml/syntax' }, failed('kustomization.yaml')],
    },
    {
      name: 'kustomization-list-rendered',
      files: { 'kustomization.yaml': '- a.yaml\n' },
      flux: {},
      expect: [failed('kustomization.yaml', 'cannot unmarshal array')],
    },
    // images: with 5,000 entries, in a kustomization and in a Flux Kustomization's spec.images.
    {
      name: 'images-5000',
      files: {
        'kustomization.yaml': kustomization(['cm.yaml'], `images:\n${images(5000, '  ')}`),
        'cm.yaml': cm('img'),
      },
      silent: true,
    },
    {
      name: 'images-5000-flux',
      files: { 'kustomization.yaml': kustomization(['cm.yaml']), 'cm.yaml': cm('img-flux') },
      flux: { spec: `  images:\n${images(5000, '    ')}` },
      silent: true,
    },
    // spec.path through a symlink: not in Flux's artifact, never followed.
    {
      name: 'path-symlink-etc',
      files: { etc: { symlink: '/etc' } },
      flux: { path: 'etc' },
      expect: [
        { file: '@cluster/path-symlink-etc.yaml', ruleId: 'refs/path-not-found', message: 'symbolic link' },
      ],
    },
    {
      name: 'path-symlink-outside',
      files: { outside: { symlink: '../../..' } },
      flux: { path: 'outside' },
      expect: [
        {
          file: '@cluster/path-symlink-outside.yaml',
          ruleId: 'refs/path-not-found',
          message: 'symbolic link',
        },
      ],
    },
    // Files that point out of the repository.
    {
      name: 'etc-passwd-and-remote',
      files: {
        'kustomization.yaml': kustomization([
          '../../../../../../etc/passwd',
          'https://example.invalid/x.yaml',
          'cm.yaml',
        ]),
        'cm.yaml': cm('local'),
      },
      expect: [failed('kustomization.yaml', 'outside the source root')],
    },
    {
      name: 'generator-reads-etc',
      files: {
        'kustomization.yaml':
          'configMapGenerator:\n  - name: stolen\n    files:\n      - ../../../../../../etc/passwd\n',
      },
      expect: [failed('kustomization.yaml', 'outside the source root')],
    },
    {
      name: 'symlink-to-passwd',
      files: { 'passwd.yaml': { symlink: '/etc/passwd' }, 'ok.yaml': cm('next-to-passwd') },
      silent: true,
    },
    {
      name: 'symlink-to-dev-zero',
      files: { 'zero.yaml': { symlink: '/dev/zero' }, 'ok.yaml': cm('next-to-zero') },
      silent: true,
    },
    {
      name: 'symlink-loop',
      files: { 'a.yaml': { symlink: 'b.yaml' }, 'b.yaml': { symlink: 'a.yaml' }, loop: { symlink: '.' } },
      silent: true,
    },
    {
      name: 'symlink-loop-rendered',
      files: { 'kustomization.yaml': kustomization(['loop']), loop: { symlink: '.' } },
      flux: {},
      expect: [failed('kustomization.yaml')],
    },
    // FIFOs are never opened: not in a clone, not in Flux's artifact.
    { name: 'fifo-yaml', files: { 'x.yaml': { fifo: true }, 'ok.yaml': cm('next-to-fifo') }, silent: true },
    {
      name: 'fifo-in-build',
      files: { 'kustomization.yaml': kustomization(['x.yaml']), 'x.yaml': { fifo: true } },
      flux: {},
      expect: [failed('kustomization.yaml')],
    },
    {
      name: 'fifo-sourceignore',
      files: {
        '.sourceignore': { fifo: true },
        '.gitignore': { fifo: true },
        'ok.yaml': cm('next-to-ignores'),
      },
      silent: true,
    },
  ];
}
