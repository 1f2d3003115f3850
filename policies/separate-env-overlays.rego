# METADATA
# title: Environments keep separate overlays
# description: Each cluster applies only overlays of its own environment, and no environment's overlay references another environment's; applying a base directory directly is a warning.
# related_resources:
#   - ref: https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/policy-separate-env-overlays.md
#     description: rule documentation
#   - ref: https://fluxcd.io/flux/guides/repository-structure/
#     description: Flux repository structure (clusters, overlays per environment)
# custom:
#   id: policy/separate-env-overlays
#   severity: error
#   scope: repo
#   options:
#     type: object
#     additionalProperties: false
#     properties:
#       baseNames:
#         type: array
#         default: [base, bases]
#         description: directory names that mark a base, which a cluster should apply through an overlay
#         items:
#           type: string
package fluxgate.policy.separate_env_overlays

import data.fluxgate.lib.config
import data.fluxgate.lib.environments

# The id from this package's METADATA, so it is written once.
rule_id := [id | some entry in rego.metadata.chain(); id := entry.annotations.custom.id][0]

base_names := {lower(n) | some n in config.option(rule_id, "baseNames", ["base", "bases"])}

# Clusters whose environment is known; the rule is inert for the others.
clusters contains {"name": c.name, "environment": env, "kustomizations": object.get(c, "kustomizations", [])} if {
	some c in input.clusters
	env := environments.of_cluster(c)
}

# METADATA
# scope: document
# entrypoint: true
# custom:
#   severity: error
deny contains finding(k.file, k.document, "/spec/path", cluster.name, msg) if {
	some cluster in clusters
	some k in cluster.kustomizations
	other := environments.of_directory(k.directory)
	other != cluster.environment
	msg := concat("", [
		"cluster ", cluster.name, " (", cluster.environment, ") applies ", k.path, ", an overlay of ", other,
		"; point Flux Kustomization ", k.namespace, "/", k.name, " at a ", cluster.environment, " overlay",
	])
}

deny contains finding(k.file, k.document, ref.path, cluster.name, msg) if {
	some cluster in clusters
	some k in cluster.kustomizations
	some ref in object.get(k, "components", [])
	other := target_environment(ref)
	other != cluster.environment
	msg := concat("", [
		"cluster ", cluster.name, " (", cluster.environment, ") adds the component ", ref.value,
		" of ", other, " to Flux Kustomization ", k.namespace, "/", k.name,
	])
}

# An overlay of one environment that builds on another environment's overlay.
deny contains finding(dir.kustomization.file, dir.kustomization.document, ref.path, null, msg) if {
	some dir in input.directories
	own := environments.of_directory(dir.path)
	some ref in object.get(dir, "references", [])
	other := target_environment(ref)
	other != own
	msg := concat("", [
		dir.path, " is an overlay of ", own, " but references ", ref.value, ", which belongs to ", other,
		"; environments share bases, not each other's overlays",
	])
}

# A directory of no environment, applied by a cluster, that references another environment's
# overlay (for example a cluster directory that includes ../../apps/dev).
deny contains finding(dir.kustomization.file, dir.kustomization.document, ref.path, cluster.name, msg) if {
	some cluster in clusters
	some name in reachable[cluster.name]
	dir := directories[name]
	not environments.of_directory(dir.path)
	some ref in object.get(dir, "references", [])
	other := target_environment(ref)
	other != cluster.environment
	msg := concat("", [
		"cluster ", cluster.name, " (", cluster.environment, ") applies ", dir.path,
		", which references ", ref.value, ", an overlay of ", other,
	])
}

# METADATA
# scope: document
# entrypoint: true
# custom:
#   severity: warning
warn contains finding(k.file, k.document, "/spec/path", cluster.name, msg) if {
	some cluster in clusters
	some k in cluster.kustomizations
	is_string(k.directory)
	some segment in split(k.directory, "/")
	lower(segment) in base_names
	msg := concat("", [
		"cluster ", cluster.name, " applies the base ", k.path,
		" directly; apply a ", cluster.environment, " overlay that builds on it",
	])
}

directories[dir.path] := dir if some dir in input.directories

# Directory references between directories, for graph.reachable.
edges[dir.path] := {ref.target |
	some ref in object.get(dir, "references", [])
	ref.type == "directory"
	is_string(ref.target)
} if some dir in input.directories

# The directories each cluster applies, directly or through references, starting from its
# Flux Kustomizations that are not already reported as another environment's overlay.
reachable[cluster.name] := graph.reachable(edges, starts) if {
	some cluster in clusters
	starts := {k.directory |
		some k in cluster.kustomizations
		is_string(k.directory)
		not other_environment(k.directory, cluster.environment)
	}
}

other_environment(directory, env) if environments.of_directory(directory) != env

# The environment of a reference's target: its own directory, or the file's directory.
target_environment(ref) := environments.of_directory(ref.target) if {
	ref.type == "directory"
	is_string(ref.target)
}

target_environment(ref) := environments.of_directory(dirname(ref.target)) if {
	ref.type == "file"
	is_string(ref.target)
}

dirname(file) := concat("/", array.slice(parts, 0, count(parts) - 1)) if parts := split(file, "/")

finding(file, document, path, cluster, msg) := {
	"msg": msg,
	"file": file,
	"document": document,
	"path": path,
	"cluster": cluster,
	"rule_id": rule_id,
}
