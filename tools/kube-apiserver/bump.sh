#!/usr/bin/env bash
# Rewrites tools/kube-apiserver/go.mod for another Kubernetes release:
# require k8s.io/kubernetes <version> and replace every staging module listed
# in that release's go.mod with its published v0.<minor>.<patch>, then runs
# `go mod tidy` (downloads modules; writes only go.mod/go.sum here).
# Afterwards set KUBERNETES_VERSION=<version> in tools/versions.env.
#
# Usage: tools/kube-apiserver/bump.sh v1.37.2
set -euo pipefail
version="${1:?usage: $0 vX.Y.Z}"
[[ "$version" =~ ^v1\.[0-9]+\.[0-9]+$ ]] || { echo "want a release like v1.37.2, got $version" >&2; exit 2; }
staging="v0.${version#v1.}"
cd "$(dirname "${BASH_SOURCE[0]}")"

proxy="$(go env GOPROXY)"
proxy="${proxy%%[,|]*}"
case "$proxy" in off | direct | '') proxy=https://proxy.golang.org ;; esac
upstream=$(curl -fsSL "$proxy/k8s.io/kubernetes/@v/$version.mod")
modules=$(printf '%s\n' "$upstream" | sed -n '/^replace (/,/^)/p' | awk '$2 == "=>" && $3 ~ /^\.\/staging\// { print $1 }')
[ -n "$modules" ] || { echo "no staging replacements found in k8s.io/kubernetes $version go.mod" >&2; exit 1; }

header=$(sed -n '/^module /q;p' go.mod) # keep the leading comment
{
	printf '%s\n' "$header"
	echo "module fluxgate.local/tools/kube-apiserver"
	echo
	printf '%s\n' "$upstream" | grep -m1 '^go '
	echo
	echo "require k8s.io/kubernetes $version"
	echo
	echo "replace ("
	for m in $modules; do printf '\t%s => %s %s\n' "$m" "$m" "$staging"; done
	echo ")"
} >go.mod.new
mv go.mod.new go.mod
rm -f go.sum
GOWORK=off GOTOOLCHAIN="${GOTOOLCHAIN:-local}" go mod tidy
echo "tools/kube-apiserver: k8s.io/kubernetes $version; now set KUBERNETES_VERSION=$version in tools/versions.env" >&2
