import { lstatSync, realpathSync, statSync } from 'node:fs';

/**
 * The file system questions a closure asks (real path, symlink, file, directory), each answered
 * once per run: 250 builds of one fleet ask about the same bases again and again.
 */
export class FsProbe {
  private readonly reals = new Map<string, string>();
  private readonly kinds = new Map<string, 'file' | 'dir' | 'link' | 'other' | 'missing'>();
  private readonly followed = new Map<string, 'file' | 'dir' | 'other' | 'missing'>();

  /** The real path, or the path itself when it does not resolve. */
  realOrSelf(file: string): string {
    let real = this.reals.get(file);
    if (real === undefined) {
      try {
        real = realpathSync(file);
      } catch {
        real = file;
      }
      this.reals.set(file, real);
    }
    return real;
  }

  /** What is at the path itself (lstat: a symlink is a link). */
  entry(file: string): 'file' | 'dir' | 'link' | 'other' | 'missing' {
    let kind = this.kinds.get(file);
    if (kind === undefined) {
      try {
        const stat = lstatSync(file);
        kind = stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
      } catch {
        kind = 'missing';
      }
      this.kinds.set(file, kind);
    }
    return kind;
  }

  /** What the path leads to (stat: symlinks followed). */
  target(file: string): 'file' | 'dir' | 'other' | 'missing' {
    let kind = this.followed.get(file);
    if (kind === undefined) {
      try {
        const stat = statSync(file);
        kind = stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
      } catch {
        kind = 'missing';
      }
      this.followed.set(file, kind);
    }
    return kind;
  }
}
