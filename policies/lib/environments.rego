# Environment names: which environment a cluster belongs to and which environment a
# directory is an overlay of. The engine resolves `data.fluxgate.environment` for the
# resource and cluster scopes with the same rules (see ../README.md); this is the reference.
package fluxgate.lib.environments

# Built-in names and aliases; `environments:` in .fluxgate.yaml adds names and aliases
# (merged by name: the aliases of a built-in name are kept).
defaults := {
	"production": ["prod"],
	"staging": ["stage"],
	"development": ["dev"],
}

default configured := {}

configured := data.fluxgate.config.environments

# Environments named by a cluster's setting are known names too (`environment: qa`); an
# alias is not a new name (`environment: prod` is production, as `apps/production` is).
cluster_settings := {lower(env) |
	some cluster in data.fluxgate.config.clusters
	env := cluster.environment
	is_string(env)
	env != ""
	not lower(env) in declared_aliases
}

declared_aliases contains lower(alias) if {
	some list in defaults
	some alias in list
}

declared_aliases contains lower(alias) if {
	some list in configured
	some alias in list
}

names := {lower(n) | some n, _ in object.union(defaults, configured)} | cluster_settings

aliases[lower(alias)] := name if {
	some name in names
	some alias in array.concat(object.get(defaults, name, []), object.get(configured, name, []))
	lower(alias) != name
}

# canonical(word) is the environment that word names, case-insensitively; undefined if none.
canonical(word) := lower(word) if lower(word) in names

canonical(word) := aliases[lower(word)] if not lower(word) in names

# of_cluster(cluster) is the cluster's environment: its configured `environment`, else the
# one environment its name mentions (`prod-aks`, `aks_dev_1`); undefined when unknown or
# ambiguous (`dev-prod-bridge`).
of_cluster(cluster) := canonical(cluster.environment) if {
	is_string(cluster.environment)
	cluster.environment != ""
}

of_cluster(cluster) := env if {
	not configured_environment(cluster)
	mentioned := {e | some word in words(cluster.name); e := canonical(word)}
	count(mentioned) == 1
	some env in mentioned
}

configured_environment(cluster) if {
	is_string(cluster.environment)
	cluster.environment != ""
}

words(name) := split(replace(replace(lower(name), "_", "-"), ".", "-"), "-")

# of_directory(dir) is the environment of the deepest path segment that is exactly an
# environment name or alias (`apps/prod`, `overlays/staging/web`); undefined when none is.
# Whole segments only: `dev-tools` or `production-like` name no environment.
of_directory(dir) := envs[count(envs) - 1] if {
	envs := [e | some segment in split(dir, "/"); e := canonical(segment)]
	count(envs) > 0
}
