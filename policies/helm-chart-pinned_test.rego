package fluxgate.policy.helm_chart_pinned_test

import data.fluxgate.policy.helm_chart_pinned as rule

cluster(objects) := {"cluster": {"name": "prod-aks", "environment": "production"}, "resources": [{"object": o} | some o in objects]}

release(chart_spec) := {
	"apiVersion": "helm.toolkit.fluxcd.io/v2",
	"kind": "HelmRelease",
	"metadata": {"name": "ingress-nginx", "namespace": "flux-system"},
	"spec": {"interval": "30m", "chart": {"spec": chart_spec}},
}

from_helm_repository(version) := release({
	"chart": "ingress-nginx",
	"version": version,
	"sourceRef": {"kind": "HelmRepository", "name": "ingress-nginx"},
})

helm_repository := {
	"apiVersion": "source.toolkit.fluxcd.io/v1",
	"kind": "HelmRepository",
	"metadata": {"name": "ingress-nginx", "namespace": "flux-system"},
	"spec": {"interval": "12h", "url": "https://kubernetes.github.io/ingress-nginx"},
}

oci_release := {
	"apiVersion": "helm.toolkit.fluxcd.io/v2",
	"kind": "HelmRelease",
	"metadata": {"name": "podinfo", "namespace": "apps"},
	"spec": {"interval": "10m", "chartRef": {"kind": "OCIRepository", "name": "podinfo"}},
}

oci_repository(ref) := {
	"apiVersion": "source.toolkit.fluxcd.io/v1",
	"kind": "OCIRepository",
	"metadata": {"name": "podinfo", "namespace": "apps"},
	"spec": {"interval": "10m", "url": "oci://ghcr.io/stefanprodan/charts/podinfo", "ref": ref},
}

test_exact_version_passes if {
	count(rule.deny) == 0 with input as cluster([helm_repository, from_helm_repository("4.11.3")])
	count(rule.deny) == 0 with input as cluster([from_helm_repository("v4.11.3")])
	count(rule.deny) == 0 with input as cluster([from_helm_repository("=4.11.3")])
	count(rule.deny) == 0 with input as cluster([from_helm_repository("1.0.0-rc.1+build.5")])
}

test_missing_version_fails_at_the_chart if {
	rel := release({"chart": "ingress-nginx", "sourceRef": {"kind": "HelmRepository", "name": "ingress-nginx"}})
	rule.deny == {{
		"msg": "HelmRelease flux-system/ingress-nginx installs chart \"ingress-nginx\" with no version, which means \"*\": every new chart release is installed unreviewed; set an exact version",
		"path": "/spec/chart/spec/version",
		"index": 1,
		"resource": {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "namespace": "flux-system", "name": "ingress-nginx"},
		"rule_id": "policy/helm-chart-pinned",
	}} with input as cluster([helm_repository, rel])
}

test_empty_version_fails if count(rule.deny) == 1 with input as cluster([from_helm_repository("")])

test_wildcards_fail if {
	every v in ["*", "x", "X"] {
		[f] := [f | some f in rule.deny] with input as cluster([from_helm_repository(v)])
		contains(f.msg, "a wildcard")
	}
}

test_ranges_fail if {
	every v in ["^1", "~1.2", ">=4.0.0", ">=4.0.0 <5.0.0", "1.x", "4.11.x", "4.11", "4", "1.2.3 || 1.2.4"] {
		[f] := [f | some f in rule.deny] with input as cluster([from_helm_repository(v)])
		contains(f.msg, "a range")
	}
}

test_allow_ranges_option if {
	cfg := {"rules": {"policy/helm-chart-pinned": {"options": {"allowRanges": true}}}}
	count(rule.deny) == 0 with input as cluster([from_helm_repository("^4.11")]) with data.fluxgate.config as cfg
	count(rule.deny) == 1 with input as cluster([from_helm_repository("*")]) with data.fluxgate.config as cfg
	count(rule.deny) == 1 with input as cluster([from_helm_repository("")]) with data.fluxgate.config as cfg
}

test_git_and_bucket_charts_are_exempt if {
	every kind in ["GitRepository", "Bucket"] {
		rel := release({"chart": "./charts/app", "sourceRef": {"kind": kind, "name": "flux-system"}})
		count(rule.deny) == 0 with input as cluster([rel])
	}
}

test_unsubstituted_version_has_no_verdict if count(rule.deny) == 0 with input as cluster([from_helm_repository("${CHART_VERSION}")])

chart(version) := {
	"apiVersion": "source.toolkit.fluxcd.io/v1",
	"kind": "HelmChart",
	"metadata": {"name": "redis", "namespace": "flux-system"},
	"spec": {"chart": "redis", "version": version, "sourceRef": {"kind": "HelmRepository", "name": "bitnami"}},
}

test_helm_chart_objects if {
	count(rule.deny) == 0 with input as cluster([chart("20.1.4")])
	[f] := [f | some f in rule.deny] with input as cluster([chart("20.x")])
	f.path == "/spec/version"
	startswith(f.msg, "HelmChart flux-system/redis fetches chart \"redis\" at version \"20.x\"")
	git_chart := json.patch(chart("*"), [{"op": "replace", "path": "/spec/sourceRef/kind", "value": "GitRepository"}])
	count(rule.deny) == 0 with input as cluster([git_chart])
}

test_oci_digest_and_version_tag_pass if {
	count(rule.deny) == 0 with input as cluster([oci_release, oci_repository({"tag": "6.7.1"})])
	count(rule.deny) == 0 with input as cluster([oci_release, oci_repository({"digest": "sha256:4f6e2c1d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e"})])
	count(rule.deny) == 0 with input as cluster([oci_release, oci_repository({"semver": "6.7.1"})])

	# a digest wins over a moving tag
	count(rule.deny) == 0 with input as cluster([oci_release, oci_repository({"tag": "latest", "digest": "sha256:4f6e2c1d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e"})])
}

test_oci_latest_fails_at_the_repository if {
	rule.deny == {{
		"msg": "OCIRepository apps/podinfo is the chart source of HelmRelease apps/podinfo and follows the tag \"latest\"; pin a version tag or a digest",
		"path": "/spec/ref/tag",
		"index": 1,
		"resource": {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "OCIRepository", "namespace": "apps", "name": "podinfo"},
		"rule_id": "policy/helm-chart-pinned",
	}} with input as cluster([oci_release, oci_repository({"tag": "latest"})])
}

test_oci_without_ref_fails if {
	repo := json.remove(oci_repository({}), ["spec/ref"])
	[f] := [f | some f in rule.deny] with input as cluster([oci_release, repo])
	f.path == "/spec/ref"
	contains(f.msg, "no digest, semver or tag")
}

test_oci_semver_range if {
	[f] := [f | some f in rule.deny] with input as cluster([oci_release, oci_repository({"semver": ">=6.0.0"})])
	f.path == "/spec/ref/semver"
	cfg := {"rules": {"policy/helm-chart-pinned": {"options": {"allowRanges": true}}}}
	count(rule.deny) == 0 with input as cluster([oci_release, oci_repository({"semver": ">=6.0.0"})]) with data.fluxgate.config as cfg
}

test_oci_repository_not_used_by_a_chart_is_ignored if {
	# an OCIRepository of manifests (for a Flux Kustomization) may follow any tag
	count(rule.deny) == 0 with input as cluster([oci_repository({"tag": "latest"})])
}

test_oci_repository_in_another_namespace if {
	rel := json.patch(oci_release, [{"op": "add", "path": "/spec/chartRef/namespace", "value": "flux-system"}])
	repo := json.patch(oci_repository({"tag": "latest"}), [{"op": "replace", "path": "/metadata/namespace", "value": "flux-system"}])
	count(rule.deny) == 1 with input as cluster([rel, repo])
	count(rule.deny) == 0 with input as cluster([oci_release, repo])
}

test_oci_repository_shared_by_releases_is_reported_once if {
	other := json.patch(oci_release, [{"op": "replace", "path": "/metadata/name", "value": "another"}])
	[f] := [f | some f in rule.deny] with input as cluster([oci_release, other, oci_repository({"tag": "latest"})])
	contains(f.msg, "HelmRelease apps/another")
}

test_missing_oci_repository_is_left_to_reference_checks if count(rule.deny) == 0 with input as cluster([oci_release])

test_values_from_unknown_variables_have_no_verdict if {
	unknown_version := {"version": 1, "cluster": null, "resources": [{
		"object": from_helm_repository(""),
		"resource": {"file": "infrastructure/ingress-nginx.yaml", "document": 1, "unknown": ["/spec/chart/spec/version"]},
		"kustomization": null,
	}]}
	count(rule.deny) == 0 with input as unknown_version
	unknown_tag := {"version": 1, "cluster": null, "resources": [
		{"object": oci_release, "resource": {"file": "apps/podinfo.yaml", "document": 0}, "kustomization": null},
		{"object": oci_repository({"tag": ""}), "resource": {"file": "apps/podinfo.yaml", "document": 1, "unknown": ["/spec/ref/tag"]}, "kustomization": null},
	]}
	count(rule.deny) == 0 with input as unknown_tag
}
