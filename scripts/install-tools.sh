#!/usr/bin/env bash
# Installs fluxgate's pinned external tools (tools/versions.env) into a cache
# outside the clone, one directory per tool and version:
#
#   ${FLUXGATE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fluxgate-tools}/<name>-<version>/<name>
#
# A fast no-op when everything is present. Tools are built with the installed
# Go (GOTOOLCHAIN=local unless set): `go install module/cmd@version` for
# released tools, `go build` for the local modules tools/<name>/ listed in
# LOCAL_MODULES (kube-apiserver, etcd, ...). Each binary is built into a temp
# directory inside the cache and renamed into place, so an interrupted run
# never leaves a half-written tool. See tools/README.md.
#
# Usage: scripts/install-tools.sh [--only name[,name...]] [--print] [--check]
#   --only LIST  restrict to these tools (e.g. --only kustomize,opa)
#   --print      print name=path for each (selected) tool on stdout
#   --check      install nothing; exit 1 if any (selected) tool is missing
#                (with --print: print the paths, missing or not)
#
# A full run (no --only, or --only chromium) also makes sure Chromium is there for the
# test that opens the HTML graph in a real browser (test/cli/graph-html.test.ts): Debian's
# package, installed with apt-get when missing and we are root (FLUXGATE_CHROMIUM names
# another binary). Without root or apt-get it says what to do and goes on: that test then
# fails with the same advice.
# Progress and the summary go to stderr; stdout only carries --print lines.
set -euo pipefail

# Released tools installed with `go install <package>@<version>`:
# name|package|extra -ldflags (@VERSION@ = the pin, @VERSION_NUM@ = without "v").
# The pin is <NAME>_VERSION in tools/versions.env (upper-cased, '-' -> '_').
REMOTE_TOOLS=(
	'kustomize|sigs.k8s.io/kustomize/kustomize/v5|'
	'opa|github.com/open-policy-agent/opa|'
	'conftest|github.com/open-policy-agent/conftest|-X github.com/open-policy-agent/conftest/internal/version.Version=@VERSION_NUM@'
	'kubeconform|github.com/yannh/kubeconform/cmd/kubeconform|-X main.version=@VERSION@'
	'controller-gen|sigs.k8s.io/controller-tools/cmd/controller-gen|'
)

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p;}' "$0"; }
die() { echo "install-tools: $*" >&2; exit 2; }
now() { if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/,/.}"; else date +%s; fi; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { d = b - a; printf (d < 10 ? "%.2f" : "%.0f"), d }'; }
if command -v sha256sum >/dev/null 2>&1; then sha256=(sha256sum); else sha256=(shasum -a 256); fi

only="" print=0 check=0
while [ $# -gt 0 ]; do
	case "$1" in
	--only) [ $# -ge 2 ] || die "--only needs a list"; only="${only:+$only,}$2"; shift 2 ;;
	--only=*) only="${only:+$only,}${1#--only=}"; shift ;;
	--print) print=1; shift ;;
	--check) check=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done

start=$(now)
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
versions_file="$repo_root/tools/versions.env"
root="${FLUXGATE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fluxgate-tools}"

# --- read tools/versions.env (KEY=value lines, not sourced) into pin_<KEY> ---
[ -f "$versions_file" ] || die "missing $versions_file"
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	line="${line%$'\r'}"
	case "$line" in '' | '#'*) continue ;; esac
	key="${line%%=*}" value="${line#*=}"
	if [ "$key" = "$line" ] || ! [[ "$key" =~ ^[A-Z][A-Z0-9_]*$ ]] || [[ "$value" =~ [[:space:]\"\'\$\`] ]] || [ -z "$value" ]; then
		die "$versions_file:$lineno: expected KEY=value, got: $line"
	fi
	printf -v "pin_$key" '%s' "$value"
done <"$versions_file"
pin() { local v="pin_$1"; [ -n "${!v:-}" ] || die "$1 is not set in $versions_file"; printf '%s' "${!v}"; }

# --- the tool list: names[i], kinds[i] (remote|local), versions[i], srcs[i], ldflags[i] ---
names=() kinds=() versions=() srcs=() ldflags=() pinmods=()
for entry in "${REMOTE_TOOLS[@]}"; do
	IFS='|' read -r name pkg flags <<<"$entry"
	key="$(printf '%s' "$name" | tr 'a-z-' 'A-Z_')_VERSION"
	names+=("$name") kinds+=(remote) versions+=("$(pin "$key")") srcs+=("$pkg") ldflags+=("$flags") pinmods+=("")
done
if [ -n "${pin_LOCAL_MODULES:-}" ]; then
	IFS=',' read -r -a local_entries <<<"$pin_LOCAL_MODULES"
	for entry in "${local_entries[@]}"; do
		IFS=':' read -r name key pinmod <<<"$entry"
		[[ "$name" =~ ^[a-z0-9][a-z0-9._-]*$ ]] && [ -n "$key" ] || die "bad LOCAL_MODULES entry '$entry' (want name:VERSION_KEY[:module])"
		dir="$repo_root/tools/$name"
		[ -f "$dir/go.mod" ] || die "LOCAL_MODULES lists $name but $dir/go.mod does not exist"
		# Version = the pin plus a hash of everything the build reads from the
		# module directory, so editing the module builds a new tool directory.
		hash=$(cd "$dir" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum -o -name ldflags \) -print0 |
			LC_ALL=C sort -z | xargs -0 "${sha256[@]}" | "${sha256[@]}" | cut -c1-12)
		flags=""
		[ ! -f "$dir/ldflags" ] || flags=$(tr '\n' ' ' <"$dir/ldflags")
		v=$(pin "$key")
		names+=("$name") kinds+=(local) versions+=("$v-$hash") srcs+=("$dir") ldflags+=("$flags") pinmods+=("$pinmod:$v")
	done
fi

# --- selection ---
selected=() want_chromium=0
if [ -z "$only" ]; then
	selected=("${!names[@]}")
	# --check without --only is asked by scripts that want the Go tools (pack-all, generate).
	[ "$check" = 1 ] || want_chromium=1
else
	IFS=',' read -r -a wanted <<<"$only"
	for w in "${wanted[@]}"; do
		[ -n "$w" ] || continue
		if [ "$w" = chromium ]; then want_chromium=1; continue; fi
		found=""
		for i in "${!names[@]}"; do [ "${names[$i]}" != "$w" ] || found=$i; done
		[ -n "$found" ] || die "unknown tool '$w' (known: ${names[*]})"
		selected+=("$found")
	done
fi

path_of() { printf '%s/%s-%s/%s' "$root" "${names[$1]}" "${versions[$1]}" "${names[$1]}"; }
missing=()
for i in ${selected[@]+"${selected[@]}"}; do [ -x "$(path_of "$i")" ] || missing+=("$i"); done

print_paths() { if [ "$print" = 1 ]; then for i in ${selected[@]+"${selected[@]}"}; do echo "${names[$i]}=$(path_of "$i")"; done; fi; }

# --- Chromium: a system package, not a pinned build ---
chromium_bin="${FLUXGATE_CHROMIUM:-/usr/bin/chromium}"
chromium_status=0
ensure_chromium() {
	[ "$want_chromium" = 1 ] || return 0
	if [ -x "$chromium_bin" ]; then
		[ "$check" = 1 ] || echo "install-tools: chromium present ($chromium_bin)" >&2
		return 0
	fi
	if [ "$check" = 1 ]; then
		echo "install-tools: missing chromium $chromium_bin" >&2
		return 1
	fi
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "install-tools: chromium is missing ($chromium_bin) and this is not root with apt-get:" \
			"the HTML graph test will fail; install Chromium (Debian: apt-get install chromium) or set FLUXGATE_CHROMIUM" >&2
		return 0
	fi
	local t0 log
	t0=$(now)
	log=$(mktemp)
	echo "install-tools: installing chromium (apt-get, for the HTML graph test)" >&2
	if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1 ||
		[ ! -x "$chromium_bin" ]; then
		echo "install-tools: installing chromium FAILED" >&2
		tail -n 20 "$log" >&2
		rm -f "$log"
		return 1
	fi
	rm -f "$log"
	echo "install-tools: installed chromium in $(elapsed "$t0")s" >&2
}
ensure_chromium || chromium_status=1

if [ "$check" = 1 ]; then
	print_paths
	for i in ${missing[@]+"${missing[@]}"}; do echo "install-tools: missing ${names[$i]} $(path_of "$i")" >&2; done
	[ ${#missing[@]} -eq 0 ] && [ "$chromium_status" = 0 ] || { echo "install-tools: run scripts/install-tools.sh to install" >&2; exit 1; }
	exit 0
fi

if [ ${#missing[@]} -eq 0 ]; then
	print_paths
	echo "install-tools: ${#selected[@]} tools present ($(elapsed "$start")s)" >&2
	exit "$chromium_status"
fi

# --- install what is missing ---
command -v go >/dev/null 2>&1 || die "go is not installed (the tools are built from source with Go >= 1.26)"
mkdir -p "$root"
# One installer at a time per cache (where flock exists); a waiting run then
# finds the tools the other one built.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$root/.lock"
	flock 9
	# Only we hold the lock, so any temp directory left here is from a killed run.
	rm -rf "$root"/.tmp.* 2>/dev/null || true
fi
tmp=""
trap '[ -z "$tmp" ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Build with the installed Go, outside any workspace, never writing the repo:
# the local modules build with -mod=readonly (go.mod/go.sum are committed).
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOWORK=off GO111MODULE=on CGO_ENABLED=0
goflags=""
for f in ${GOFLAGS:-}; do case "$f" in -mod=*) ;; *) goflags="$goflags $f" ;; esac; done
export GOFLAGS="${goflags# }"

expand_flags() { # flags version
	local v="$2" num="${2#v}"
	local major="${num%%.*}" rest="${num#*.}"
	local minor="${rest%%.*}"
	local s="$1"
	s="${s//@VERSION@/$v}" s="${s//@VERSION_NUM@/$num}" s="${s//@MAJOR@/$major}" s="${s//@MINOR@/$minor}"
	printf '%s' "$s"
}

# Seconds each tool took to build here last time (<cache>/.build-seconds, "name seconds" lines),
# else a typical cold build on a busy 2-core machine: the estimates printed while building.
# (Plain bash 3 on purpose: macOS ships it.)
timings="$root/.build-seconds"
expected() {
	local secs=""
	[ ! -f "$timings" ] || secs=$(awk -v n="$1" '$1 == n { s = $2 } END { print s }' "$timings")
	if [ -z "$secs" ]; then
		case "$1" in
		kube-apiserver) secs=1100 ;; helm-server) secs=600 ;; conftest) secs=330 ;; opa) secs=210 ;;
		flux-oracle | oci-registry) secs=120 ;; etcd) secs=90 ;; kustomize | controller-gen | kustomize-server) secs=60 ;;
		*) secs=60 ;;
		esac
	fi
	printf '%s' "$secs"
}

# build_one INDEX: builds one tool into its directory; prints one line when done. Runs in a lane.
build_one() {
	local i=$1 name="${names[$1]}" version="${versions[$1]}" dest t0 tmpdir status pinned_version ld
	dest="$(path_of "$i")"
	[ ! -x "$dest" ] || return 0 # built by a concurrent run while we waited
	t0=$(now)
	tmpdir=$(mktemp -d "$root/.tmp.XXXXXX")
	pinned_version="${version%-*}"
	[ "${kinds[$i]}" = local ] || pinned_version="$version"
	ld="-s -w $(expand_flags "${ldflags[$i]}" "$pinned_version")"
	status=0
	if [ "${kinds[$i]}" = remote ]; then
		(cd "$tmpdir" && GOBIN="$tmpdir" go install -trimpath -buildvcs=false -ldflags="$ld" "${srcs[$i]}@$version") >"$tmpdir/build.log" 2>&1 || status=$?
	else
		(cd "${srcs[$i]}" && go build -mod=readonly -trimpath -buildvcs=false -ldflags="$ld" -o "$tmpdir/$name" .) >"$tmpdir/build.log" 2>&1 || status=$?
	fi
	if [ "$status" -ne 0 ] || [ ! -x "$tmpdir/$name" ]; then
		echo "install-tools: building $name $version FAILED" >&2
		tail -n 40 "$tmpdir/build.log" >&2
		rm -rf "$tmpdir"
		return 1
	fi
	mkdir -p "${dest%/*}"
	mv -f "$tmpdir/$name" "$dest" # same file system: an atomic rename
	rm -rf "$tmpdir"
	local took
	took=$(elapsed "$t0")
	echo "$name ${took%.*}" >>"$timings.new"
	echo "install-tools: built $name $version in ${took}s" >&2
}

# Local modules must require their pin before anything is built.
for i in "${missing[@]}"; do
	[ "${kinds[$i]}" = local ] || continue
	dir="${srcs[$i]}" pinmod="${pinmods[$i]}"
	if [ -n "${pinmod%%:*}" ] && ! awk -v m="${pinmod%%:*}" -v v="${pinmod#*:}" \
		'($1 == m && $2 == v) || ($1 == "require" && $2 == m && $3 == v) { found = 1 } END { exit !found }' "$dir/go.mod"; then
		die "tools/${names[$i]}/go.mod must require ${pinmod%%:*} ${pinmod#*:} (the pin in tools/versions.env)"
	fi
done

# Two lanes on a machine with two cores or more (FLUXGATE_TOOLS_JOBS overrides), balanced by the
# expected times: longest first, each build into the lane that has less to do so far (kube-apiserver
# alone in one lane for most of it, helm-server, conftest, opa, ... in the other). Go compiles with
# every core in both, so the lanes fill each other's idle time (downloads, linking) rather than
# halve the cores.
jobs="${FLUXGATE_TOOLS_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}"
[ "$jobs" -ge 2 ] 2>/dev/null && jobs=2 || jobs=1
order=()
while read -r _ i; do order+=("$i"); done < <(for i in "${missing[@]}"; do echo "$(expected "${names[$i]}") $i"; done | sort -rn)
lane_a=() lane_b=() sum_a=0 sum_b=0
for i in "${order[@]}"; do
	secs=$(expected "${names[$i]}")
	if [ "$jobs" -ge 2 ] && [ "$sum_b" -lt "$sum_a" ]; then
		lane_b+=("$i") sum_b=$((sum_b + secs))
	else
		lane_a+=("$i") sum_a=$((sum_a + secs))
	fi
done
estimate=$((sum_a > sum_b ? sum_a : sum_b))
echo "install-tools: building ${#order[@]} tools (${jobs} lane(s)), about $(((estimate + 59) / 60)) min: $(for i in "${order[@]}"; do printf '%s ' "${names[$i]}"; done)" >&2
rm -f "$timings.new"
lane_status=0
# build_lane INDEX...: one build after another; stops at the first that fails.
build_lane() { local i; for i in "$@"; do build_one "$i" || return 1; done; }
if [ ${#lane_b[@]} -gt 0 ]; then
	build_lane "${lane_a[@]}" &
	lane_pid=$!
	build_lane "${lane_b[@]}" || lane_status=1
	wait "$lane_pid" || lane_status=1
else
	build_lane "${order[@]}" || lane_status=1
fi
# Keep what was measured (the newest time of each tool) for the next estimate.
if [ -f "$timings.new" ]; then
	{ [ ! -f "$timings" ] || awk 'NR == FNR { seen[$1] = 1; next } !($1 in seen)' "$timings.new" "$timings"; cat "$timings.new"; } >"$timings.tmp"
	mv -f "$timings.tmp" "$timings"
	rm -f "$timings.new"
fi
[ "$lane_status" -eq 0 ] || exit 1
built=0
for i in "${missing[@]}"; do [ ! -x "$(path_of "$i")" ] || built=$((built + 1)); done

print_paths
echo "install-tools: ${#selected[@]} tools ready, $built built in $(elapsed "$start")s" >&2
exit "$chromium_status"
