export const MAIN_HELP = `fluxgate: stop bad GitOps commits before Flux applies them

Usage: fluxgate <command> [options]

Commands:
  validate [PATH...]   check the repository (or the directories/files given)
  rules                list every rule with its id, default severity and help
  build                print the manifests of a cluster or directory, as Flux renders them
  diff [BASE [HEAD]]   what a change does to each cluster: rendered objects and findings compared
  graph                the fleet as Flux sees it, with findings and changes: Mermaid, DOT or HTML
  comment FILE         post or update one pull-request comment (Azure DevOps, GitHub) from CI
  init                 write a commented .fluxgate.yaml (and git hook configuration)
  policy test [DIR...] run the Rego unit tests (opa test) of the built-in and your policies
  charts pull          download the charts of every HelmRelease into the chart cache (for offline runs)
  schemas list|catalog which schema source each kind of each cluster resolves to; the catalog
  cache dir|clean      print the cache directory, or empty it
  daemon start|stop|status
                       keep fluxgate loaded between runs (fast hooks and editor checks)
  help [COMMAND]       show help for a command

Options:
  -h, --help           show help
  -v, --version        print the version

Exit codes: 0 clean, 1 findings at or above --fail-level, 2 usage, config or tool error.
Docs: https://github.com/fluxgate-dev/fluxgate#readme
`;

export const VALIDATE_HELP = `Usage: fluxgate validate [options] [PATH...]

Checks a Flux GitOps repository and reports every finding at the file and line to edit.
PATH: a directory below the repository root narrows the scope; a file names a changed file.
The repository root is the nearest ancestor holding .fluxgate.yaml or .git.

Options:
  -f, --format FORMAT[=FILE]
                            text (default), compact, json, sarif, junit, github or azure;
                            repeatable.
                            FORMAT=FILE writes to FILE (relative to the working directory);
                            on stdout at most one of json, sarif, junit. Without --format, in
                            GitHub Actions (GITHUB_ACTIONS=true) or Azure Pipelines (TF_BUILD)
                            the matching annotations are printed after the text.
      --fail-level LEVEL    error (default), warning or info: exit 1 at or above it
      --root DIR            repository root (default: nearest .fluxgate.yaml or .git)
  -c, --config FILE         config file (default: <root>/.fluxgate.yaml)
      --staged              check what is staged in git (the pre-commit hook), deletions included
      --stdin               read the file to check from standard input (an unsaved editor buffer)
      --stdin-filename PATH where that buffer lives: it is checked as PATH inside its repository
      --baseline FILE       report only findings not in FILE (an earlier --format json output)
      --new-since REF       report only findings that REF (a git commit) does not have, REF
                            checked with the same flags
      --schema-location LOC kubeconform-style schema location (URL or directory, Go template
                            fields as kubeconform's); repeatable, tried before schemaLocations
      --offline             never fetch schemas: repository CRDs, bundled, the catalog, the cache
      --require-schemas     a kind with no schema is an error (default: a warning per kind and
                            cluster)
      --kubernetes-version V  Kubernetes version for schemas and removed APIs (e.g. 1.33)
      --flux-version V      Flux version for the API version table (e.g. 2.6; default: the
                            gotk-components.yaml header, else the newest)
      --policy DIR          a directory of conftest-style Rego policies (package main, deny/warn/
                            violation, exceptions) to evaluate on every rendered object; repeatable,
                            added to policies: in .fluxgate.yaml; needs opa (tools cache or PATH)
      --server-dry-run      also send each cluster's objects to its API server as Flux applies
                            them (server-side apply, dryRun=All: nothing is stored); a cluster's
                            kubeconfig context is clusters.<name>.context in .fluxgate.yaml
      --context NAME        the kubeconfig context for --cluster NAME, or for the only cluster
      --cluster NAME        dry-run only this cluster
      --kubeconfig FILE     kubeconfig to use (default: KUBECONFIG, then ~/.kube/config)
      --impersonate-flux    send the objects of a Kustomization with spec.serviceAccountName as
                            that service account, as kustomize-controller does (proves RBAC limits)
      --only STAGE,...      run only these stages: render, schema, policy, refs, dry-run (yaml and
                            config checks always run); repeatable
      --skip STAGE,...      run every stage but these
      --no-cache            neither read nor write the build and check cache (fluxgate cache dir);
                            also runs in this process, not in a daemon
      --no-daemon           run in this process even when a fluxgate daemon is running
      --timeout SECONDS     stop the run (exit 2) after this long (default: timeoutSeconds in
                            .fluxgate.yaml, else 900)
  -q, --quiet               print findings only, no summary
      --no-color            no colours (also: NO_COLOR set, or output is not a terminal)
      --debug               print stage timings, commands, cache hits, temp dirs on stderr
      --keep-temp           keep temporary directories (with --debug, their paths are printed)
      --kustomize-bin BIN   kustomize to use (default: kustomize.bin in .fluxgate.yaml, the pinned
                            tools cache, kustomize on PATH, then kubectl kustomize)
  -h, --help                show this help

Exit codes: 0 clean, 1 findings at or above --fail-level, 2 usage, config or tool error.
`;

export const CACHE_HELP = `Usage: fluxgate cache dir|clean

  dir     print the cache directory: $FLUXGATE_CACHE_DIR, else $XDG_CACHE_HOME/fluxgate, else
          ~/.cache/fluxgate
  clean   remove everything in it (rendered builds, check results, fetched schemas, compiled
          policies)

validate reuses kustomize builds and check results by a content hash of every input (the files,
the config, kustomize and fluxgate themselves), so a run where nothing changed does no work again.
The cache stays under FLUXGATE_CACHE_MAX_MB (default 1024): least recently used entries go first.
validate --no-cache neither reads nor writes it.
`;

export const DAEMON_HELP = `Usage: fluxgate daemon start|stop|status|run [--idle-timeout MINUTES]

  start    start a daemon in the background (if none runs for this cache directory)
  stop     stop it (waits for the run in progress)
  status   print its pid, version, uptime, runs answered and memory; exit 1 when none runs
  run      serve in the foreground (for a service manager)

A daemon keeps fluxgate's code, compiled policies and schemas loaded between runs. While one runs,
\`fluxgate validate\` with the same cache directory (fluxgate cache dir) sends its command line,
working directory, environment and standard input to it and prints its answer: the same
findings and exit code as a run in-process, without start-up. It listens on a socket in the cache
directory, which only its owner can reach, answers one run at a time, and exits after
--idle-timeout minutes without a run (default 30) or when fluxgate is upgraded (a run then falls
back to in-process).

Not used by: validate --no-daemon, --no-cache, --server-dry-run (the Kubernetes client uses the
caller's own environment and credentials), FLUXGATE_DAEMON=0. FLUXGATE_DAEMON=auto starts a
daemon in the background on the first validate that finds none (for git hooks and editors).
Its log is daemon.log in the cache directory.
`;

export const RULES_HELP = `Usage: fluxgate rules [--format text|json]

Lists every rule: id, source, default severity and one line of help.
`;

export const INIT_HELP = `Usage: fluxgate init [--hooks husky] [--force] [--root DIR]

Writes a commented .fluxgate.yaml for this repository, with its clusters (clusters/*) and the
environments their names suggest. Existing files are kept unless --force.

Options:
      --hooks husky   also write .husky/pre-commit and .lintstagedrc.json (lint-staged runs
                      fluxgate on staged YAML); creates a minimal private package.json if there
                      is none, and prints the npm command to install husky and lint-staged
      --force         overwrite existing files
      --root DIR      repository root (default: nearest .fluxgate.yaml or .git)
`;

export const BUILD_HELP = `Usage: fluxgate build --cluster NAME [options]
       fluxgate build PATH [options]

Prints what Flux applies, exactly as the checks see it: one cluster (rendered from its root through
every Flux Kustomization it reaches, after post-build substitution), one directory (built as a plain
overlay), or the Flux Kustomizations of one file. Secret values, wherever they are (values
substituted from a Secret too), are printed as <redacted>.

Options:
      --cluster NAME        the cluster (a name from the coverage lines of fluxgate validate)
      --show-secrets        print secret values (Secret data and stringData, substituted values)
      --root DIR            repository root (default: nearest .fluxgate.yaml or .git)
  -c, --config FILE         config file (default: <root>/.fluxgate.yaml)
      --kustomize-bin BIN   kustomize to use (default: see fluxgate validate --help)
      --keep-temp           keep the temporary build directories
      --no-cache            neither read nor write fluxgate's build cache
      --no-helm             leave out what the cluster's HelmReleases render (with --cluster)
      --debug               print the kustomize commands and timings on stderr
  -h, --help                show this help

With --cluster, the objects the cluster's HelmReleases render are included (charts from the
repository or the chart cache, see fluxgate charts --help). Kustomizations and HelmReleases left out
of the output (another source, a remote base, a chart not available, a failed build) are listed on
stderr. Exit codes: 0 everything fluxgate can render rendered, 1 a build or release failed (reasons
on stderr), 2 usage, config or tool error.
`;

export const CHARTS_HELP = `Usage: fluxgate charts pull [options]

Downloads the chart of every HelmRelease the clusters apply that is not in the repository (from its
HelmRepository, HTTP or OCI, or its OCIRepository) into fluxgate's chart cache, resolving version
constraints again, so that later runs render them without network access (for CI: run it in a job
with network, keep the cache directory). Archives are stored by their sha256, checked against the
repository index or the registry. Private repositories are not supported (credentials live in the
cluster); their releases stay not rendered.

Options:
      --root DIR            repository root (default: nearest .fluxgate.yaml or .git)
  -c, --config FILE         config file (default: <root>/.fluxgate.yaml)
      --kustomize-bin BIN   kustomize to use (default: see fluxgate validate --help)
      --debug               print what is pulled and timings on stderr
  -h, --help                show this help

Exit codes: 0 every chart is in the cache, 1 some chart could not be downloaded (reasons on
stderr), 2 usage, config or tool error.
`;

export const SCHEMAS_HELP = `Usage: fluxgate schemas list [--cluster NAME] [options]
       fluxgate schemas catalog [--format text|json]

list: renders every cluster as validate does and prints, for each kind of its objects, the
number of objects and where its schema comes from, in the order the schema check tries them:
  repository  a CustomResourceDefinition in the repository
  chart       a CRD the cluster's HelmRelease charts install
  bundled     the bundled Kubernetes and Flux schemas
  catalog     fluxgate's catalog of ecosystem CRDs: the release closest to the one the cluster
              installs (its HelmRelease, OCIRepository, GitRepository or a remote kustomization
              resource says which), else the newest
  location    a schemaLocations entry (a URL or a directory)
  none        no schema: validate reports schema/missing
catalog: the catalog's projects, pinned releases, licences and Go modules.

Options:
      --cluster NAME        one cluster
  -f, --format FORMAT       text (default) or json
      --root DIR            repository root (default: nearest .fluxgate.yaml or .git)
  -c, --config FILE         config file (default: <root>/.fluxgate.yaml)
      --kustomize-bin BIN   kustomize to use (default: see fluxgate validate --help)
      --no-cache            neither read nor write fluxgate's build cache
      --offline             do not fetch schemas from URL schema locations
      --debug               print the kustomize commands and why each catalog release was chosen
  -h, --help                show this help

Exit codes: 0 listed, 2 usage, config or tool error.
`;

export const POLICY_HELP = `Usage: fluxgate policy test [options] [DIR...]

Runs \`opa test\` over the built-in policies and over your policy directories: each DIR given,
and each directory under policies: in .fluxgate.yaml (with its regoVersion). Tests are the
*_test.rego files beside the policies, as for conftest verify.

Options:
      --root DIR      repository root (default: nearest .fluxgate.yaml or .git)
  -c, --config FILE   config file (default: <root>/.fluxgate.yaml)
  -v, --verbose       list every test (opa test -v)
  -h, --help          show this help

Needs opa on PATH (https://www.openpolicyagent.org/docs/#1-download-opa); in a clone of
fluxgate, the pinned one from the tools cache (npm run tools) comes first.
Exit codes: 0 every test passed, 1 a test failed, 2 usage, config or tool error (opa missing, a
policy that does not compile).
`;

export const DIFF_HELP = `Usage: fluxgate diff [options] [BASE [HEAD]]

Shows what a change does to each cluster as Flux renders it: both sides are rendered and checked by
the same pipeline as validate, and compared object by object. The first line says which clusters the
change reaches; then, per cluster, the objects added, removed and changed, each as a unified diff of
the rendered YAML (keys sorted; a generated ConfigMap or Secret whose hash suffix changed is shown as
a rename; fluxgate's own annotations left out; Secret values redacted), with the Flux Kustomization
(and HelmRelease) that produces it, and the findings the change adds or removes.

BASE: a commit (default: the merge base of HEAD with origin/HEAD, else main, else master).
HEAD: a commit (default: the work tree; --staged: the index). A commit is read from a temporary
export outside the repository: the work tree and the index are never touched.

Options:
  -f, --format FORMAT       text (default), json or markdown (a pull-request comment: a summary
                            table, a collapsed section per cluster)
      --max-size CHARS      markdown: the most characters to print (default 60000, for GitHub's
                            65,536-character comments; Azure DevOps allows 150000); object diffs
                            that do not fit are left out and a note says so
      --staged              compare with what is staged (the index) instead of the work tree
      --cluster NAME        only this cluster
  -U, --unified N           lines of context around each change (default 3)
      --root DIR            repository root (default: nearest .fluxgate.yaml or .git)
      --kustomize-bin BIN   kustomize to use (default: see fluxgate validate --help)
      --no-cache            neither read nor write fluxgate's build and check cache, nor the
                            sides of commits diffed before
      --no-color            no colours (also: NO_COLOR set, or output is not a terminal)
      --debug               print where each side is read from (the cache, or an export),
                            commands and timings on stderr
  -h, --help                show this help

Exit codes: 0 no difference, 1 differences (objects or findings), 2 usage, config or tool error
(as diff(1) and flux diff). To fail only on new errors, use fluxgate validate --new-since BASE.
`;

export const GRAPH_HELP = `Usage: fluxgate graph [--format mermaid|dot|html[=FILE]] [--cluster NAME] [--diff [BASE]] [options]

Draws the fleet as Flux sees it: per cluster, its Flux Kustomizations (with the number of objects
each deploys, which Kustomization applies which, and their dependsOn), its HelmReleases (the objects
their charts render, their dependsOn) and the sources they read (a source the repository does not
define is dashed). The clusters are rendered and checked as fluxgate validate does: each finding is
shown on the node that deploys its object (the HelmRelease that renders it, else the Kustomization
that applies it; a finding on a Kustomization, HelmRelease or source on that node), as counts of
errors and warnings.

The html format is one self-contained page (inline style and script, no network: it opens offline
from file://): each cluster expands to its nodes, each node to its links, findings and objects.

With --diff, the nodes whose rendered objects differ between BASE and the work tree are marked
(as fluxgate diff BASE compares them), and nodes new or removed: a badge in html, a classDef in
Mermaid, a colour in DOT. BASE defaults to the merge base with the default branch.

Options:
  -f, --format FORMAT       mermaid (default: a flowchart for a \`\`\`mermaid block in GitHub markdown
                            or an Azure DevOps wiki), dot (Graphviz: dot -Tsvg) or html;
                            FORMAT=FILE writes FILE instead of stdout (e.g. html=fleet.html)
      --cluster NAME        only this cluster
      --diff [BASE]         mark what differs from BASE (a commit, branch or tag)
      --root DIR            repository root (default: nearest .fluxgate.yaml or .git)
  -c, --config FILE         config file (default: <root>/.fluxgate.yaml)
      --kustomize-bin BIN   kustomize to use (default: see fluxgate validate --help)
      --no-cache            neither read nor write fluxgate's build cache
      --debug               print the kustomize commands and timings on stderr
  -h, --help                show this help

Exit codes: 0 drawn (findings do not fail it: use fluxgate validate), 2 usage, config or tool error.
`;

export const COMMENT_HELP = `Usage: fluxgate comment [options] FILE

Posts FILE (markdown; - reads standard input), e.g. the output of fluxgate diff --format markdown,
as one comment on the pull request the CI build runs for, and updates that same comment on every
later run instead of adding another. The comment is found again by a hidden marker
(<!-- fluxgate -->, or <!-- fluxgate:NAME --> with --id NAME). A body over the platform's limit
(GitHub 65,536 characters, Azure DevOps 150,000) is cut at a line and the comment says so.

Everything comes from the build's own variables:
  Azure Pipelines (TF_BUILD=True): SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECTID, BUILD_REPOSITORY_ID,
    SYSTEM_PULLREQUEST_PULLREQUESTID, and the job's token, which the step must map:
      env:
        SYSTEM_ACCESSTOKEN: $(System.AccessToken)
    The project's build service identity ("<Project> Build Service (<org>)") needs "Contribute to
    pull requests" on the repository (Project settings > Repositories > Security).
  GitHub Actions (GITHUB_ACTIONS=true): GITHUB_API_URL, GITHUB_REPOSITORY, the pull request of
    GITHUB_EVENT_PATH, and GITHUB_TOKEN, which the step must set:
      env:
        GITHUB_TOKEN: \${{ github.token }}
    The workflow (or job) needs permissions: pull-requests: write.
Outside a pull request (a push build) it says so and exits 0, so the step can run on every build.

Options:
      --platform NAME       azure-devops or github (default: from TF_BUILD or GITHUB_ACTIONS)
      --id NAME             one sticky comment per NAME (several comments on one pull request)
      --pr N                the pull request number (default: from the build's variables)
      --dry-run             read the comments, then print the request that would post or update
                            (method, URL, body; never the token) instead of sending it
      --timeout SECONDS     the longest wait for one answer (default 30)
  -h, --help                show this help

The token is sent only in the Authorization header, to the platform's API, and never printed.
Exit codes: 0 posted, updated, or not a pull request; 2 usage error, a missing token or permission,
a pull request not found, the platform not reachable.
`;
