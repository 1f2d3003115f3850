# METADATA
# title: Helm charts are pinned
# description: HelmReleases and HelmCharts install an exact chart version; an empty version (`*`) or a range installs new chart releases unreviewed.
# related_resources:
#   - ref: https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/policy-helm-chart-pinned.md
#     description: rule documentation
#   - ref: https://fluxcd.io/flux/components/helm/helmreleases/#chart-template
#     description: HelmRelease chart template (version is a SemVer range, default `*`)
#   - ref: https://fluxcd.io/flux/components/source/ocirepositories/#reference
#     description: OCIRepository reference (digest, semver, tag; default tag `latest`)
# custom:
#   id: policy/helm-chart-pinned
#   severity: error
#   scope: cluster
#   kinds: [HelmRelease, HelmChart, OCIRepository]
#   options:
#     type: object
#     additionalProperties: false
#     properties:
#       allowRanges:
#         type: boolean
#         default: false
#         description: accept SemVer ranges (`^1.2`, `~1.2.0`, `>=1.0 <2.0`); an empty version or a bare wildcard is still reported
package fluxgate.policy.helm_chart_pinned

import data.fluxgate.lib.config
import data.fluxgate.lib.context
import data.fluxgate.lib.kube
import data.fluxgate.lib.pointer

# The id from this package's METADATA, so it is written once.
rule_id := [id | some entry in rego.metadata.chain(); id := entry.annotations.custom.id][0]

allow_ranges := config.option(rule_id, "allowRanges", false)

# Charts from a GitRepository, a Bucket or an ExternalArtifact are exempt: Flux builds them
# from the source's content and ignores the version field.
# https://fluxcd.io/flux/components/source/helmcharts/#version

# METADATA
# scope: document
# entrypoint: true
# custom:
#   severity: error
deny contains finding(i, ["spec", "chart", "spec", "version"], msg) if {
	some i, entry in input.resources
	release := entry.object
	kube.is(release, "helm.toolkit.fluxcd.io", "HelmRelease")
	chart := release.spec.chart.spec
	chart.sourceRef.kind == "HelmRepository"
	not context.unknown_in(object.get(entry, "resource", {}), "/spec/chart/spec/version")
	problem := version_problem(object.get(chart, "version", ""))
	msg := concat("", ["HelmRelease ", kube.display(release), " installs chart \"", object.get(chart, "chart", ""), "\" ", problem])
}

deny contains finding(i, ["spec", "version"], msg) if {
	some i, entry in input.resources
	chart := entry.object
	kube.is(chart, "source.toolkit.fluxcd.io", "HelmChart")
	chart.spec.sourceRef.kind == "HelmRepository"
	not context.unknown_in(object.get(entry, "resource", {}), "/spec/version")
	problem := version_problem(object.get(chart.spec, "version", ""))
	msg := concat("", ["HelmChart ", kube.display(chart), " fetches chart \"", object.get(chart.spec, "chart", ""), "\" ", problem])
}

# A chartRef to an OCIRepository: the OCIRepository's reference decides what is installed,
# so it is reported there, once, naming the first HelmRelease (by namespace/name) that uses it.
deny contains finding(j, ref_path(repository), msg) if {
	some j in chart_repositories
	repository := input.resources[j].object
	not context.unknown_in(object.get(input.resources[j], "resource", {}), "/spec/ref")
	problem := ref_problem(object.get(repository, ["spec", "ref"], {}))
	msg := concat("", [
		"OCIRepository ", kube.display(repository), " is the chart source of HelmRelease ",
		first_release(j), " and ", problem,
	])
}

# The indices of OCIRepositories that some HelmRelease's chartRef points to.
chart_repositories contains j if {
	some release in chart_releases
	some j in oci_repositories[release.target]
}

# HelmReleases with a chartRef to an OCIRepository, and the "namespace/name" they point to.
chart_releases contains {"release": kube.display(release), "target": target} if {
	some entry in input.resources
	release := entry.object
	kube.is(release, "helm.toolkit.fluxcd.io", "HelmRelease")
	ref := release.spec.chartRef
	ref.kind == "OCIRepository"
	target := concat("/", [object.get(ref, "namespace", kube.namespace(release)), ref.name])
}

oci_repositories[key] contains i if {
	some i, entry in input.resources
	repository := entry.object
	kube.is(repository, "source.toolkit.fluxcd.io", "OCIRepository")
	key := concat("/", [kube.namespace(repository), kube.name(repository)])
}

first_release(j) := min({r.release |
	some r in chart_releases
	j in oci_repositories[r.target]
})

# version_problem(v) describes what is wrong with a HelmRepository chart version; undefined
# when the version is exact (or unknown because a `${VAR}` was not substituted).
version_problem(v) := "with no version, which means \"*\": every new chart release is installed unreviewed; set an exact version" if {
	trim_space(v) == ""
}

version_problem(v) := concat("", ["at version \"", v, "\", a wildcard: every new chart release is installed unreviewed; set an exact version"]) if {
	trim_space(v) in wildcards
}

version_problem(v) := concat("", ["at version \"", v, "\", a range: new chart releases are installed unreviewed; set an exact version"]) if {
	not allow_ranges
	not trim_space(v) in wildcards
	trim_space(v) != ""
	not exact(v)
	not contains(v, "${")
}

wildcards := {"*", "x", "X"}

# exact(v) holds for one SemVer 2.0 version, optionally written `=1.2.3` or `v1.2.3`.
# https://semver.org/#backusnaur-form-grammar-for-valid-semver-versions
exact(v) if regex.match(`^=?\s*v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`, trim_space(v))

# ref_problem(ref) describes what is wrong with an OCIRepository reference; precedence as
# source-controller applies it: digest, then semver, then tag (default `latest`).
ref_problem(ref) := "has no digest, semver or tag, so it follows the tag \"latest\"; pin a version tag or a digest" if {
	object.get(ref, "digest", "") == ""
	object.get(ref, "semver", "") == ""
	object.get(ref, "tag", "") == ""
}

ref_problem(ref) := "follows the tag \"latest\"; pin a version tag or a digest" if {
	object.get(ref, "digest", "") == ""
	object.get(ref, "semver", "") == ""
	lower(object.get(ref, "tag", "")) == "latest"
}

ref_problem(ref) := concat("", ["follows the SemVer range \"", ref.semver, "\"; pin a version tag or a digest"]) if {
	not allow_ranges
	object.get(ref, "digest", "") == ""
	is_string(ref.semver)
	ref.semver != ""
	not exact(ref.semver)
	not contains(ref.semver, "${")
}

ref_path(repository) := ["spec", "ref", "semver"] if {
	object.get(repository, ["spec", "ref", "digest"], "") == ""
	object.get(repository, ["spec", "ref", "semver"], "") != ""
} else := ["spec", "ref", "tag"] if {
	object.get(repository, ["spec", "ref", "digest"], "") == ""
	object.get(repository, ["spec", "ref", "tag"], "") != ""
} else := ["spec", "ref"]

finding(i, path, msg) := {
	"msg": msg,
	"path": pointer.from(path),
	"index": i,
	"resource": kube.identity(input.resources[i].object),
	"rule_id": rule_id,
}
