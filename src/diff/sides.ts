import { existsSync, mkdirSync } from 'node:fs';
import { exportRef, resolveCommit } from '../git/export-ref.js';
import { defaultBase, requireRepository } from '../git/merge-base.js';
import type { RepoFilesMode } from '../git/repo-files.js';
import { stagedSnapshot } from '../git/staged.js';
import type { DiffSide } from './types.js';

/** One side of a comparison: where it is read from, and how to remove that copy. */
export interface Side extends DiffSide {
  root: string;
  /** How the checks read it (`--staged`): the index in the work tree, or an export of it. */
  snapshot?: RepoFilesMode;
  /** The repository a copy was exported from (validate's `origin`); undefined for the work tree. */
  origin?: string;
  cleanup(): Promise<void>;
}

/** What to compare: BASE (default: the merge base with the default branch) and HEAD (default: the work tree). */
export interface SideRefs {
  base?: string | undefined;
  head?: string | undefined;
  /** HEAD is the index (`--staged`). */
  staged?: boolean | undefined;
}

async function commitSide(
  root: string,
  ref: string,
  which: 'BASE' | 'HEAD',
  label = ref,
  signal?: AbortSignal,
): Promise<Side> {
  const exported = await exportRef(root, ref, `${which} ${ref}`, signal);
  // The repository's directory did not exist yet at that commit: an empty side (all added).
  if (!existsSync(exported.root)) mkdirSync(exported.root, { recursive: true });
  return { label, commit: exported.commit, root: exported.root, origin: root, cleanup: exported.cleanup };
}

async function headSide(
  root: string,
  ref: string | undefined,
  staged: boolean,
  signal?: AbortSignal,
): Promise<Side> {
  if (ref !== undefined) return commitSide(root, ref, 'HEAD', ref, signal);
  if (!staged) return { label: 'work tree', root, cleanup: async () => {} };
  const snapshot = await stagedSnapshot(root);
  return {
    label: 'index (staged)',
    root: snapshot.root,
    snapshot: snapshot.root === root ? 'index' : 'export',
    ...(snapshot.root === root ? {} : { origin: root }),
    cleanup: snapshot.cleanup,
  };
}

/** How each side is checked. */
export interface SideChecks<B, H> {
  head: (side: Side) => Promise<H>;
  base: (side: Side) => Promise<B>;
  /** A commit's result known already (checked before): it is not exported. */
  known?: (commit: string, which: 'BASE' | 'HEAD') => Promise<(B & H) | undefined>;
}

/**
 * Both sides, each checked, then the exports removed. The commits are resolved first: a bad BASE
 * or HEAD is said before anything is rendered. Unless its result is known, the base is exported
 * while the head is checked (writing a tree of files is the file system's work, on another core),
 * then checked. `fluxgate diff` and `fluxgate graph --diff` compare through it.
 */
export async function checkSides<B, H = B>(
  root: string,
  refs: SideRefs,
  checks: SideChecks<B, H>,
  /** Ctrl-C: an export in progress stops. */
  signal?: AbortSignal,
): Promise<{ base: Side; head: Side; before: B; after: H }> {
  const sides: Side[] = [];
  await requireRepository(root);
  const { commit, label } = refs.base
    ? { commit: await resolveCommit(root, refs.base, `BASE ${refs.base}`), label: refs.base }
    : await defaultBase(root);
  const headCommit =
    refs.head === undefined ? undefined : await resolveCommit(root, refs.head, `HEAD ${refs.head}`);
  const known = await checks.known?.(commit, 'BASE');
  const knownHead = headCommit === undefined ? undefined : await checks.known?.(headCommit, 'HEAD');
  const noCopy = async () => {};
  let exporting: Promise<Side> | undefined;
  try {
    const head =
      knownHead !== undefined && refs.head !== undefined
        ? { label: refs.head, commit: headCommit, root: '', cleanup: noCopy }
        : await headSide(root, refs.head, refs.staged === true, signal);
    sides.push(head);
    const checkHead = () => (knownHead !== undefined ? Promise.resolve(knownHead) : checks.head(head));
    if (known !== undefined) {
      const after = await checkHead();
      return { base: { label, commit, root: '', cleanup: noCopy }, head, before: known, after };
    }
    exporting = commitSide(root, commit, 'BASE', label, signal);
    // Settled here too: a failed check must not leave the export's rejection unheard.
    exporting.catch(() => {});
    const after = await checkHead();
    const base = await exporting;
    const before = await checks.base(base);
    return { base, head, before, after };
  } finally {
    // An export still being written is removed once it is done.
    const base = await exporting?.catch(() => undefined);
    if (base) sides.push(base);
    for (const side of sides) await side.cleanup();
  }
}
