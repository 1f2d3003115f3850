import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crdsOf, spdxOf } from '../../../scripts/catalog/convert.js';
import { moduleZipEntries } from '../../../scripts/catalog/module-zip.js';
import { CATALOG_SOURCES } from '../../../scripts/catalog/sources.js';
import { packageFile } from '../../../src/core/package-files.js';
import { tempDir } from '../helpers.js';

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      schema:
        openAPIV3Schema:
          description: A widget.
          type: object
          properties:
            spec:
              type: object
              description: Its spec.
              properties:
                description: { type: string, description: a field named description }
                size: { type: integer }
              x-kubernetes-validations:
                - rule: self.size > 0
                  message: size must be positive
    - name: v1alpha1
      served: false
      schema: { openAPIV3Schema: { type: object } }
`;

/** A zip with stored entries, as the Go module proxy's are laid out (`<module>@<version>/...`). */
function storedZip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

describe('catalog generator', () => {
  it('keeps served versions and CEL rules, drops documentation (not fields named description)', () => {
    const [widget, ...rest] = crdsOf(crd, 'widgets.yaml');
    expect(rest).toEqual([]);
    expect(widget).toEqual({
      name: 'widgets.example.com',
      group: 'example.com',
      kind: 'Widget',
      namespaced: true,
      versions: {
        v1: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              properties: { description: { type: 'string' }, size: { type: 'integer' } },
              'x-kubernetes-validations': [{ rule: 'self.size > 0', message: 'size must be positive' }],
            },
          },
        },
      },
    });
  });

  it('names the licences of the catalog projects', () => {
    expect(
      spdxOf(
        '                                 Apache License\n                           Version 2.0, January 2004',
      ),
    ).toBe('Apache-2.0');
    expect(
      spdxOf('                    GNU AFFERO GENERAL PUBLIC LICENSE\n                       Version 3'),
    ).toBe('AGPL-3.0');
    expect(spdxOf('The MIT License (MIT)\n\nCopyright')).toBe('MIT');
    expect(spdxOf('Some other terms')).toBeUndefined();
  });

  it('reads files out of a module zip, the module path removed', () => {
    const file = path.join(tempDir(), 'm.zip');
    writeFileSync(
      file,
      storedZip({ 'example.com/a/b@v1.2.3/config/crd.yaml': crd, 'example.com/a/b@v1.2.3/LICENSE': 'MIT' }),
    );
    const entries = moduleZipEntries(file);
    expect(entries.map((e) => e.name)).toEqual(['config/crd.yaml', 'LICENSE']);
    expect(entries[0]!.read().toString()).toBe(crd);
  });

  it('the committed catalog is what sources.ts lists, with its provenance', () => {
    const dir = packageFile('schemas/catalog');
    const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as {
      projects: {
        project: string;
        licence: string;
        releases: {
          version: string;
          module: string;
          sum: string;
          groups: Record<string, string>;
          kinds: string[];
        }[];
      }[];
    };
    expect(index.projects.map((p) => p.project).sort()).toEqual(CATALOG_SOURCES.map((s) => s.project).sort());
    for (const project of index.projects) {
      const source = CATALOG_SOURCES.find((s) => s.project === project.project)!;
      expect(project.licence).toBe(source.licence);
      expect(project.releases.map((r) => r.version)).toEqual(source.versions);
      for (const release of project.releases) {
        expect(release.sum).toMatch(/^h1:[A-Za-z0-9+/]{43}=$/);
        for (const kind of release.kinds) {
          const file = path.join(dir, release.groups[kind.slice(0, kind.indexOf('/'))]!);
          expect(existsSync(file), kind).toBe(true);
          const group = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as {
            kinds: Record<string, unknown>;
          };
          expect(group.kinds[kind], kind).toBeDefined();
        }
      }
    }
  });
});
