package fluxgate.policy.container_resources_test

import data.fluxgate.policy.container_resources as rule

deployment(containers) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "podinfo", "namespace": "podinfo"},
	"spec": {"template": {"spec": {"containers": containers}}},
}

container(resources) := {"name": "podinfo", "image": "ghcr.io/stefanprodan/podinfo:6.7.1", "resources": resources}

# The podinfo Deployment of the clean example: cpu and memory requests, a memory limit.
test_requests_and_memory_limit_pass if {
	count(rule.warn) == 0 with input as deployment([container({"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}})])
}

# Flux's controllers (gotk-components.yaml) set all four.
test_flux_controller_passes if {
	count(rule.warn) == 0 with input as deployment([container({"limits": {"cpu": "1000m", "memory": "1Gi"}, "requests": {"cpu": "100m", "memory": "64Mi"}})])
}

test_no_resources_warns_once_per_container if {
	rule.warn == {{
		"msg": "containers[podinfo] sets no cpu request, no memory request, no memory limit",
		"path": "/spec/template/spec/containers/0/resources",
		"rule_id": "policy/container-resources",
	}} with input as deployment([{"name": "podinfo", "image": "podinfo:6.7.1"}])
}

test_missing_limit_points_at_limits if {
	[f] := [f | some f in rule.warn] with input as deployment([container({"requests": {"cpu": "50m", "memory": "64Mi"}})])
	f.path == "/spec/template/spec/containers/0/resources/limits"
	f.msg == "containers[podinfo] sets no memory limit"
}

test_missing_request_points_at_requests if {
	[f] := [f | some f in rule.warn] with input as deployment([container({"requests": {"memory": "64Mi"}, "limits": {"memory": "128Mi"}})])
	f.path == "/spec/template/spec/containers/0/resources/requests"
	f.msg == "containers[podinfo] sets no cpu request"
}

test_init_containers_are_checked_ephemeral_are_not if {
	obj := {
		"apiVersion": "v1",
		"kind": "Pod",
		"metadata": {"name": "p"},
		"spec": {
			"initContainers": [{"name": "migrate", "image": "app:1.0.0"}],
			"containers": [container({"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}})],
			"ephemeralContainers": [{"name": "debug", "image": "busybox:1.36"}],
		},
	}
	{f.path | some f in rule.warn} == {"/spec/initContainers/0/resources"} with input as obj
}

test_pod_level_resources_cover_containers if {
	obj := {
		"apiVersion": "v1",
		"kind": "Pod",
		"metadata": {"name": "p"},
		"spec": {
			"resources": {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"memory": "2Gi"}},
			"containers": [{"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1"}],
		},
	}
	count(rule.warn) == 0 with input as obj
}

test_options if {
	cfg := {"rules": {"policy/container-resources": {"options": {"requests": ["memory"], "limits": ["cpu", "memory"]}}}}
	[f] := [f | some f in rule.warn] with input as deployment([container({"requests": {"memory": "64Mi"}, "limits": {"memory": "128Mi"}})]) with data.fluxgate.config as cfg
	f.msg == "containers[podinfo] sets no cpu limit"
	none := {"rules": {"policy/container-resources": {"options": {"requests": [], "limits": []}}}}
	count(rule.warn) == 0 with input as deployment([{"name": "x", "image": "x:1"}]) with data.fluxgate.config as none
}

test_cronjob if {
	obj := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "x", "image": "x:1"}]}}}}}}
	{f.path | some f in rule.warn} == {"/spec/jobTemplate/spec/template/spec/containers/0/resources"} with input as obj
}

test_zero_quantity_counts_as_declared if {
	count(rule.warn) == 0 with input as deployment([container({"requests": {"cpu": 0, "memory": "64Mi"}, "limits": {"memory": "128Mi"}})])
}

test_quantity_from_an_unknown_variable_counts_as_declared if {
	ctx := {"file": "apps/podinfo.yaml", "document": 0, "unknown": ["/spec/template/spec/containers/0/resources/limits/memory"]}
	obj := deployment([container({"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": null}})])
	count(rule.warn) == 0 with input as obj with data.fluxgate.resource as ctx
	count(rule.warn) == 1 with input as obj
}
