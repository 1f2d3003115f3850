#!/usr/bin/env bash
# The peer pipeline as CI scripts run it today, after fluxcd/flux2-kustomize-helm-example's
# scripts/validate.sh: kubeconform on the Flux YAML under clusters/, then `kustomize build` of
# every directory holding a kustomization.yaml piped into kubeconform -strict, all offline.
# Env: KUSTOMIZE, KUBECONFORM, SCHEMAS (a kubeconform schema directory). Run in the repo root.
set -euo pipefail
kubeconform_flags=(-strict -summary -schema-location "$SCHEMAS/{{ .ResourceKind }}{{ .KindSuffix }}.json")
find clusters -type f -name '*.yaml' ! -name kustomization.yaml -print0 |
	xargs -0 "$KUBECONFORM" "${kubeconform_flags[@]}" -skip Secret >/dev/null
find . -type f -name kustomization.yaml -print0 | sort -z | while IFS= read -r -d $'\0' file; do
	"$KUSTOMIZE" build "${file%kustomization.yaml}" --load-restrictor LoadRestrictionsNone |
		"$KUBECONFORM" "${kubeconform_flags[@]}" -skip Secret >/dev/null
done
