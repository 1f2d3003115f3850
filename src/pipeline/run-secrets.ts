import path from 'node:path';
import { fromRepoPath } from '../core/paths.js';
import { readRegularFile } from '../core/read-regular.js';
import type { SecretSet } from '../core/secret-set.js';
import type { SourceFile } from '../load/resource.js';
import { MAX_FILE_BYTES } from '../load/yaml-limits.js';
import type { RenderStage } from '../model/render-stage.js';
import { generatorSecrets } from '../render/kustomization/generator-secrets.js';
import { KUSTOMIZATION_FILE_NAMES } from '../render/kustomization/kustomization-file.js';
import { addSecretObjects } from '../report/secret-objects.js';
import { MENTIONS_SECRET, secretSource } from '../report/secret-source.js';

export interface RepoFile {
  file: string;
  text: string;
  /** The file's parsed documents (none for a file that did not parse). */
  values: readonly unknown[];
}

/**
 * Adds what the repository's own files hold secret: the values of every Secret written in them
 * (read by structure, so a Secret in a broken file counts), and what each kustomization's
 * `secretGenerator` takes from literals and files. `buffers` (unsaved editor text) win over the disk.
 */
export function addRepoSecrets(
  secrets: SecretSet,
  root: string,
  files: Iterable<RepoFile>,
  buffers: Readonly<Record<string, string>> = {},
): void {
  const read = (file: string): Uint8Array | undefined => {
    if (Object.hasOwn(buffers, file)) return Buffer.from(buffers[file]!, 'utf8');
    try {
      // A regular file of a readable size only: a FIFO or a link to /dev/zero never ends.
      return readRegularFile(fromRepoPath(root, file), { maxBytes: MAX_FILE_BYTES });
    } catch {
      return undefined;
    }
  };
  for (const { file, text, values } of files) {
    if (MENTIONS_SECRET.test(text)) {
      for (const value of secretSource(text).values) secrets.add(value);
      addSecretObjects(secrets, values);
    }
    if ((KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(path.posix.basename(file))) {
      const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
      for (const value of generatorSecrets(values[0], dir, read)) secrets.add(value);
    }
  }
}

/** Loaded files as addRepoSecrets reads them. */
export function secretInputs(files: Iterable<SourceFile>): RepoFile[] {
  return [...files].map((f) => ({ file: f.file, text: f.text, values: f.resources.map((r) => r.value) }));
}

/**
 * The secrets a render adds: every rendered Secret (generated ones, the sources substitution reads
 * from), and those of the files the render read beyond the loaded ones.
 */
export function addRenderSecrets(
  secrets: SecretSet,
  root: string,
  render: RenderStage,
  buffers: Readonly<Record<string, string>> = {},
): void {
  addSecretObjects(secrets, [
    ...render.clusters.flatMap((c) => c.resources.map((r) => r.value)),
    ...render.builds.flatMap((b) => b.resources.map((r) => r.value)),
  ]);
  const extra = render.reader.extraTexts().flatMap(([file]) => {
    const source = render.reader.get(file);
    return source ? [source] : [];
  });
  addRepoSecrets(secrets, root, secretInputs(extra), buffers);
}
