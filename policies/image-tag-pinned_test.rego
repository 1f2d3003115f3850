package fluxgate.policy.image_tag_pinned_test

import data.fluxgate.policy.image_tag_pinned as rule

digest := "sha256:4f6e2c1d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e"

deployment(image) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web", "namespace": "apps"},
	"spec": {"template": {"spec": {"containers": [{"name": "web", "image": image}]}}},
}

paths(findings) := {f.path | some f in findings}

test_exact_tag_passes if count(rule.deny) == 0 with input as deployment("ghcr.io/stefanprodan/podinfo:6.7.1")

test_digest_passes if {
	count(rule.deny) == 0 with input as deployment(concat("@", ["ghcr.io/stefanprodan/podinfo", digest]))
	count(rule.deny) == 0 with input as deployment(concat("@", ["ghcr.io/stefanprodan/podinfo:6.7.1", digest]))
}

test_latest_with_digest_passes if count(rule.deny) == 0 with input as deployment(concat("@", ["nginx:latest", digest]))

test_latest_fails_at_the_image if {
	findings := rule.deny with input as deployment("nginx:latest")
	findings == {{
		"msg": "containers[web] image \"nginx:latest\" uses the moving tag \"latest\"; pin an exact tag or a digest",
		"path": "/spec/template/spec/containers/0/image",
		"rule_id": "policy/image-tag-pinned",
	}}
}

test_latest_in_any_case_fails if count(rule.deny) == 1 with input as deployment("nginx:Latest")

test_missing_tag_fails if {
	findings := rule.deny with input as deployment("nginx")
	[f] := [f | some f in findings]
	contains(f.msg, "has no tag")
	f.path == "/spec/template/spec/containers/0/image"
}

test_registry_port_is_not_a_tag if {
	count(rule.deny) == 1 with input as deployment("registry.internal:5000/team/app")
	count(rule.deny) == 0 with input as deployment("registry.internal:5000/team/app:2.3.1")
}

test_flux_controller_image_passes if {
	count(rule.deny) == 0 with input as deployment("ghcr.io/fluxcd/kustomize-controller:v1.9.4")
}

test_unsubstituted_variable_has_no_verdict if {
	count(rule.deny) == 0 with input as deployment("${IMAGE}")
	count(rule.deny) == 0 with input as deployment("registry.local/app:${TAG}")
}

test_init_and_ephemeral_containers if {
	obj := {
		"apiVersion": "v1",
		"kind": "Pod",
		"metadata": {"name": "p"},
		"spec": {
			"initContainers": [{"name": "init", "image": "busybox"}],
			"containers": [{"name": "app", "image": "app:1.0.0"}],
			"ephemeralContainers": [{"name": "debug", "image": "debug:latest"}],
		},
	}
	paths(rule.deny) == {"/spec/initContainers/0/image", "/spec/ephemeralContainers/0/image"} with input as obj
}

test_cronjob_job_template if {
	obj := {
		"apiVersion": "batch/v1",
		"kind": "CronJob",
		"metadata": {"name": "backup"},
		"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "b", "image": "restic/restic"}]}}}}},
	}
	paths(rule.deny) == {"/spec/jobTemplate/spec/template/spec/containers/0/image"} with input as obj
}

test_every_workload_kind if {
	every kind in ["StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		obj := object.union(deployment("nginx:latest"), {"kind": kind})
		count(rule.deny) == 1 with input as obj
	}
}

test_other_kinds_are_ignored if {
	count(rule.deny) == 0 with input as {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"image": "nginx:latest"}}
	count(rule.deny) == 0 with input as object.union(deployment("nginx:latest"), {"apiVersion": "example.com/v1"})
}

test_each_container_is_reported if {
	obj := {
		"apiVersion": "apps/v1",
		"kind": "Deployment",
		"metadata": {"name": "web"},
		"spec": {"template": {"spec": {"containers": [
			{"name": "a", "image": "nginx:latest"},
			{"name": "b", "image": "nginx:1.27.3"},
			{"name": "c", "image": "redis"},
		]}}},
	}
	paths(rule.deny) == {"/spec/template/spec/containers/0/image", "/spec/template/spec/containers/2/image"} with input as obj
}

test_require_digest_option if {
	cfg := {"rules": {"policy/image-tag-pinned": {"options": {"requireDigest": true}}}}
	findings := rule.deny with input as deployment("nginx:1.27.3") with data.fluxgate.config as cfg
	[f] := [f | some f in findings]
	contains(f.msg, "requireDigest")
	count(rule.deny) == 0 with input as deployment(concat("@", ["nginx:1.27.3", digest])) with data.fluxgate.config as cfg

	# latest is reported once, as a moving tag
	count(rule.deny) == 1 with input as deployment("nginx:latest") with data.fluxgate.config as cfg
}

test_mutable_tags_option if {
	cfg := {"rules": {"policy/image-tag-pinned": {"options": {"mutableTags": ["latest", "main", "stable"]}}}}
	count(rule.deny) == 1 with input as deployment("app:main") with data.fluxgate.config as cfg
	count(rule.deny) == 0 with input as deployment("app:main")
}

test_severity_only_config_keeps_defaults if {
	count(rule.deny) == 1 with input as deployment("nginx:latest") with data.fluxgate.config as {"rules": {"policy/image-tag-pinned": "warning"}}
}

test_image_from_an_unknown_variable_has_no_verdict if {
	# image: ghcr.io/org/app:${APP_TAG}, APP_TAG from a SOPS-encrypted substituteFrom Secret:
	# rendered as if empty
	ctx := {"file": "apps/web.yaml", "document": 0, "unknown": ["/spec/template/spec/containers/0/image"]}
	count(rule.deny) == 0 with input as deployment("ghcr.io/org/app:") with data.fluxgate.resource as ctx
	count(rule.deny) == 1 with input as deployment("ghcr.io/org/app:")
}
