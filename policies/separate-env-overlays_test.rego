package fluxgate.policy.separate_env_overlays_test

import data.fluxgate.policy.separate_env_overlays as rule

ks(cluster, name, path, directory) := {
	"apiVersion": "kustomize.toolkit.fluxcd.io/v1",
	"namespace": "flux-system",
	"name": name,
	"file": concat("", ["clusters/", cluster, "/", name, ".yaml"]),
	"document": 0,
	"sourceRef": {"kind": "GitRepository", "namespace": "flux-system", "name": "flux-system"},
	"path": path,
	"directory": directory,
}

cluster(name, environment, kustomizations) := {
	"name": name,
	"root": concat("/", ["clusters", name]),
	"environment": environment,
	"kustomizations": kustomizations,
}

# The clean aks-fleet example: dev-aks and prod-aks with their own overlays.
fleet_clusters(prod_sandbox) := [
	cluster("dev-aks", "development", [
		ks("dev-aks", "flux-system", "./clusters/dev-aks", "clusters/dev-aks"),
		ks("dev-aks", "infrastructure", "./infrastructure", "infrastructure"),
		ks("dev-aks", "apps", "./apps/dev", "apps/dev"),
		ks("dev-aks", "notifications", "./notifications/dev", "notifications/dev"),
		ks("dev-aks", "sandbox", "./sandbox/dev", "sandbox/dev"),
	]),
	cluster("prod-aks", "production", array.concat(
		[
			ks("prod-aks", "flux-system", "./clusters/prod-aks", "clusters/prod-aks"),
			ks("prod-aks", "infrastructure", "./infrastructure", "infrastructure"),
			ks("prod-aks", "apps", "./apps/prod", "apps/prod"),
			ks("prod-aks", "notifications", "./notifications/prod", "notifications/prod"),
		],
		prod_sandbox,
	)),
]

ref(field, i, value, type, target) := {
	"field": field,
	"value": value,
	"type": type,
	"target": target,
	"path": concat("/", ["", field, format_int(i, 10)]),
}

overlay(path, references) := {
	"path": path,
	"kustomization": {"file": concat("/", [path, "kustomization.yaml"]), "document": 0},
	"references": references,
}

fleet_directories := [
	{"path": "clusters/dev-aks", "kustomization": null, "references": []},
	{"path": "clusters/prod-aks", "kustomization": null, "references": []},
	overlay("infrastructure", [ref("resources", 0, "ingress-nginx.yaml", "file", "infrastructure/ingress-nginx.yaml")]),
	overlay("apps/base/podinfo", [ref("resources", 0, "deployment.yaml", "file", "apps/base/podinfo/deployment.yaml")]),
	overlay("apps/dev", [
		ref("resources", 0, "../base/podinfo", "directory", "apps/base/podinfo"),
		{"field": "patches", "value": "deployment-patch.yaml", "type": "file", "target": "apps/dev/deployment-patch.yaml", "path": "/patches/0/path"},
	]),
	overlay("apps/prod", [ref("resources", 0, "../base/podinfo", "directory", "apps/base/podinfo")]),
	overlay("notifications/base", []),
	overlay("notifications/dev", [ref("resources", 0, "../base", "directory", "notifications/base")]),
	overlay("notifications/prod", [
		ref("resources", 0, "../base", "directory", "notifications/base"),
		ref("resources", 1, "teams.yaml", "file", "notifications/prod/teams.yaml"),
	]),
	overlay("sandbox/dev", [ref("resources", 0, "namespace.yaml", "file", "sandbox/dev/namespace.yaml")]),
]

repo(clusters, directories) := {"version": 1, "clusters": clusters, "directories": directories}

test_clean_fleet_passes if {
	count(rule.deny) == 0 with input as repo(fleet_clusters([]), fleet_directories)
	count(rule.warn) == 0 with input as repo(fleet_clusters([]), fleet_directories)
}

# aks-fleet-broken: clusters/prod-aks/sandbox.yaml applies ./sandbox/dev.
test_production_applying_the_dev_overlay_fails if {
	clusters := fleet_clusters([ks("prod-aks", "sandbox", "./sandbox/dev", "sandbox/dev")])
	rule.deny == {{
		"msg": "cluster prod-aks (production) applies ./sandbox/dev, an overlay of development; point Flux Kustomization flux-system/sandbox at a production overlay",
		"file": "clusters/prod-aks/sandbox.yaml",
		"document": 0,
		"path": "/spec/path",
		"cluster": "prod-aks",
		"rule_id": "policy/separate-env-overlays",
	}} with input as repo(clusters, fleet_directories)
}

test_environment_from_cluster_name if {
	clusters := [cluster("prod-aks", null, [ks("prod-aks", "apps", "./apps/dev", "apps/dev")])]
	count(rule.deny) == 1 with input as repo(clusters, fleet_directories)
}

test_unknown_environment_is_inert if {
	clusters := [cluster("aks-eu-1", null, [
		ks("aks-eu-1", "apps", "./apps/dev", "apps/dev"),
		ks("aks-eu-1", "base", "./apps/base/podinfo", "apps/base/podinfo"),
	])]
	count(rule.deny) == 0 with input as repo(clusters, fleet_directories)
	count(rule.warn) == 0 with input as repo(clusters, fleet_directories)
}

test_aliases_match if {
	# a `production` cluster may apply `prod` overlays and the other way round
	clusters := [
		cluster("eu-1", "prod", [ks("eu-1", "apps", "./overlays/production", "overlays/production")]),
		cluster("eu-2", "production", [ks("eu-2", "apps", "./apps/prod", "apps/prod")]),
	]
	count(rule.deny) == 0 with input as repo(clusters, [])
}

test_configured_aliases if {
	cfg := {"environments": {"production": ["prd"], "qa": ["test"]}}
	clusters := [cluster("eu-1", "qa", [ks("eu-1", "apps", "./apps/prd", "apps/prd")])]
	count(rule.deny) == 1 with input as repo(clusters, []) with data.fluxgate.config as cfg
	count(rule.deny) == 0 with input as repo(clusters, [])
}

test_overlay_referencing_another_environment_fails if {
	dirs := array.concat(fleet_directories, [overlay("apps/staging", [ref("resources", 0, "../prod", "directory", "apps/prod")])])
	rule.deny == {{
		"msg": "apps/staging is an overlay of staging but references ../prod, which belongs to production; environments share bases, not each other's overlays",
		"file": "apps/staging/kustomization.yaml",
		"document": 0,
		"path": "/resources/0",
		"cluster": null,
		"rule_id": "policy/separate-env-overlays",
	}} with input as repo(fleet_clusters([]), dirs)
}

test_overlay_referencing_another_environment_file_fails if {
	dirs := [overlay("apps/prod", [
		ref("resources", 0, "../base/podinfo", "directory", "apps/base/podinfo"),
		{"field": "patches", "value": "../dev/deployment-patch.yaml", "type": "file", "target": "apps/dev/deployment-patch.yaml", "path": "/patches/0/path"},
	])]
	{f.path | some f in rule.deny} == {"/patches/0/path"} with input as repo([], dirs)
}

test_remote_references_are_ignored if {
	dirs := [overlay("apps/prod", [{"field": "resources", "value": "https://github.com/org/repo//deploy/dev?ref=v1", "type": "remote", "target": null, "path": "/resources/0"}])]
	count(rule.deny) == 0 with input as repo([], dirs)
}

test_env_neutral_directory_reaching_another_environment_fails if {
	# prod-aks applies clusters/prod-aks/apps (no environment in its path) which includes ../../../apps/dev
	clusters := [cluster("prod-aks", "production", [ks("prod-aks", "apps", "./clusters/prod-aks/apps", "clusters/prod-aks/apps")])]
	dirs := array.concat(fleet_directories, [overlay("clusters/prod-aks/apps", [ref("resources", 0, "../../../apps/dev", "directory", "apps/dev")])])
	rule.deny == {{
		"msg": "cluster prod-aks (production) applies clusters/prod-aks/apps, which references ../../../apps/dev, an overlay of development",
		"file": "clusters/prod-aks/apps/kustomization.yaml",
		"document": 0,
		"path": "/resources/0",
		"cluster": "prod-aks",
		"rule_id": "policy/separate-env-overlays",
	}} with input as repo(clusters, dirs)

	# the dev cluster may do the same
	dev := [cluster("dev-aks", "development", [ks("dev-aks", "apps", "./clusters/prod-aks/apps", "clusters/prod-aks/apps")])]
	count(rule.deny) == 0 with input as repo(dev, dirs)
}

test_flux_kustomization_components if {
	k := object.union(ks("prod-aks", "apps", "./apps/prod", "apps/prod"), {"components": [
		{"field": "components", "value": "../components/ha", "type": "directory", "target": "apps/components/ha", "path": "/spec/components/0"},
		{"field": "components", "value": "../dev/components/debug", "type": "directory", "target": "apps/dev/components/debug", "path": "/spec/components/1"},
	]})
	{f.path | some f in rule.deny} == {"/spec/components/1"} with input as repo([cluster("prod-aks", "production", [k])], [])
}

test_applying_a_base_directly_warns if {
	clusters := [cluster("prod-aks", "production", [ks("prod-aks", "apps", "./apps/base/podinfo", "apps/base/podinfo")])]
	count(rule.deny) == 0 with input as repo(clusters, fleet_directories)
	rule.warn == {{
		"msg": "cluster prod-aks applies the base ./apps/base/podinfo directly; apply a production overlay that builds on it",
		"file": "clusters/prod-aks/apps.yaml",
		"document": 0,
		"path": "/spec/path",
		"cluster": "prod-aks",
		"rule_id": "policy/separate-env-overlays",
	}} with input as repo(clusters, fleet_directories)
}

test_base_names_option if {
	cfg := {"rules": {"policy/separate-env-overlays": {"options": {"baseNames": ["common"]}}}}
	clusters := [cluster("prod-aks", "production", [
		ks("prod-aks", "apps", "./apps/base/podinfo", "apps/base/podinfo"),
		ks("prod-aks", "common", "./common", "common"),
	])]
	{f.file | some f in rule.warn} == {"clusters/prod-aks/common.yaml"} with input as repo(clusters, []) with data.fluxgate.config as cfg
}

test_sources_outside_the_repository_are_skipped if {
	clusters := [cluster("prod-aks", "production", [ks("prod-aks", "tenant", "./deploy/dev", null)])]
	count(rule.deny) == 0 with input as repo(clusters, [])
	count(rule.warn) == 0 with input as repo(clusters, [])
}
