package fluxgate.lib.environments_test

import data.fluxgate.lib.environments as env

test_defaults_and_aliases if {
	env.canonical("production") == "production"
	env.canonical("prod") == "production"
	env.canonical("Prod") == "production"
	env.canonical("stage") == "staging"
	env.canonical("dev") == "development"
	not env.canonical("base")
	not env.canonical("prd")
}

test_configured_names_and_aliases if {
	cfg := {"environments": {"production": ["prd", "live"], "qa": ["test"]}}
	env.canonical("prd") == "production" with data.fluxgate.config as cfg
	env.canonical("prod") == "production" with data.fluxgate.config as cfg
	env.canonical("live") == "production" with data.fluxgate.config as cfg
	env.canonical("test") == "qa" with data.fluxgate.config as cfg
	env.canonical("qa") == "qa" with data.fluxgate.config as cfg
}

test_cluster_settings_are_names if {
	env.canonical("uat") == "uat" with data.fluxgate.config as {"clusters": {"eu-1": {"environment": "uat"}}}
}

test_cluster_environment_from_config if {
	env.of_cluster({"name": "aks-eu-1", "environment": "production"}) == "production"
	env.of_cluster({"name": "aks-eu-1", "environment": "prod"}) == "production"

	# an alias set as a cluster's environment is that environment, not a name of its own
	env.of_cluster({"name": "aks-eu-1", "environment": "prod"}) == "production" with data.fluxgate.config as {"clusters": {"aks-eu-1": {"environment": "prod"}}}
	env.of_directory("apps/production") == "production" with data.fluxgate.config as {"clusters": {"aks-eu-1": {"environment": "prod"}}}
	env.of_cluster({"name": "eu-1", "environment": "PRD"}) == "production" with data.fluxgate.config as {
		"environments": {"production": ["prd"]},
		"clusters": {"eu-1": {"environment": "PRD"}},
	}

	# the setting wins over the name
	env.of_cluster({"name": "dev-aks", "environment": "staging"}) == "staging"
}

test_cluster_environment_from_name if {
	env.of_cluster({"name": "prod-aks", "environment": null}) == "production"
	env.of_cluster({"name": "aks_dev_1"}) == "development"
	env.of_cluster({"name": "staging"}) == "staging"
	env.of_cluster({"name": "eu.prod.k8s"}) == "production"
}

test_unknown_or_ambiguous_cluster if {
	not env.of_cluster({"name": "aks-eu-1"})
	not env.of_cluster({"name": "dev-prod-bridge"})
	not env.of_cluster({"name": "nonprod"})
	not env.of_cluster({"name": "devtools"})
}

test_directory_environment if {
	env.of_directory("apps/prod") == "production"
	env.of_directory("sandbox/dev") == "development"
	env.of_directory("overlays/staging/web") == "staging"
	env.of_directory("envs/production/dev") == "development"
	not env.of_directory("apps/base/podinfo")
	not env.of_directory("infrastructure/dev-tools")
	not env.of_directory("clusters/prod-aks")
	not env.of_directory("")
}
