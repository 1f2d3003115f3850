/**
 * Changed-files mode: the builds (target keys) and files whose objects a run checks one by one;
 * cluster-wide checks still see every object.
 */
export interface CheckFocus {
  files: ReadonlySet<string>;
  targets: ReadonlySet<string>;
}
