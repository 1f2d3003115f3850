import { describe, expect, it } from 'vitest';
import { buildSourceMap, locate } from '../../src/load/source-map.js';

const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:latest
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: "a/b"
  labels: {"x~y": z}
`;

describe('locate', () => {
  const map = buildSourceMap(text);
  it.each([
    ['/spec/template/spec/containers/0/image', 0, {}, { line: 10, column: 18 }],
    ['/spec/template/spec/containers/0/image', 0, { key: true }, { line: 10, column: 11 }],
    ['/spec/template/spec/containers/0/ports/0/containerPort', 0, {}, { line: 12, column: 30 }],
    ['/metadata/labels/x~0y', 1, {}, { line: 18, column: 19 }],
    ['', 1, {}, { line: 14, column: 1 }],
  ] as const)('%s in document %i', (pointer, doc, options, expected) => {
    expect(locate(map, doc, pointer, options)).toMatchObject(expected);
  });

  it('falls back to the nearest existing ancestor for a missing field, never line 0', () => {
    expect(locate(map, 0, '/spec/template/spec/containers/0/resources/limits')).toMatchObject({ line: 9 });
    expect(locate(map, 0, '/spec/replicas', { key: true })).toMatchObject({ line: 6 });
  });

  it('points at the key of a present field when the value is missing', () => {
    const m = buildSourceMap('spec:\n  replicas:\n');
    expect(locate(m, 0, '/spec/replicas')).toMatchObject({ line: 2, column: 3 });
  });
});

describe('locate into YAML written in a literal block scalar (a ConfigMap of Helm values)', () => {
  const map = buildSourceMap(`apiVersion: v1
kind: ConfigMap
data:
  values.yaml: |
    image:
      repository: web

      tag: latest
  folded: >
    a: b
`);
  it('places a pointer that goes on into the text at its line and column in the file', () => {
    expect(locate(map, 0, '/data/values.yaml/image/tag')).toMatchObject({ line: 8, column: 12 });
    expect(locate(map, 0, '/data/values.yaml/image/tag', { key: true })).toMatchObject({
      line: 8,
      column: 7,
    });
    expect(locate(map, 0, '/data/values.yaml/image')).toMatchObject({ line: 6, column: 7 });
  });
  it('stops at the scalar when the text lacks the path or is not a literal block', () => {
    expect(locate(map, 0, '/data/values.yaml/missing')).toMatchObject({ line: 5, column: 5 });
    expect(locate(map, 0, '/data/folded/a')).toMatchObject({ line: 9, column: 11 });
  });
});
