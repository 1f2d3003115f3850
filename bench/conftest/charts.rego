# The peer of fluxgate's policy/helm-chart-pinned (HelmRelease and HelmChart versions).
package main

import rego.v1

exact(v) if regex.match(`^=?\s*v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`, trim_space(v))

deny contains msg if {
	input.kind == "HelmRelease"
	startswith(input.apiVersion, "helm.toolkit.fluxcd.io/")
	input.spec.chart.spec.sourceRef.kind == "HelmRepository"
	v := object.get(input.spec.chart.spec, "version", "")
	not exact(v)
	msg := sprintf("HelmRelease %s: chart version %q is not pinned", [input.metadata.name, v])
}

deny contains msg if {
	input.kind == "HelmChart"
	input.spec.sourceRef.kind == "HelmRepository"
	v := object.get(input.spec, "version", "")
	not exact(v)
	msg := sprintf("HelmChart %s: version %q is not pinned", [input.metadata.name, v])
}
