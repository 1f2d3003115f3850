package fluxgate.lib.pods_test

import data.fluxgate.lib.pods

pod_spec := {
	"initContainers": [{"name": "init", "image": "busybox:1.36"}],
	"containers": [{"name": "app", "image": "app:1"}, {"name": "sidecar", "image": "proxy:2"}],
	"ephemeralContainers": [{"name": "debug", "image": "debug:3"}],
}

paths(obj) := {p | some c in pods.containers(obj); p := c.path}

test_deployment_containers if {
	obj := {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": {"spec": pod_spec}}}
	paths(obj) == {
		["spec", "template", "spec", "initContainers", 0],
		["spec", "template", "spec", "containers", 0],
		["spec", "template", "spec", "containers", 1],
		["spec", "template", "spec", "ephemeralContainers", 0],
	}
}

test_pod_containers if {
	obj := {"apiVersion": "v1", "kind": "Pod", "spec": pod_spec}
	count(pods.containers(obj)) == 4
	["spec", "containers", 1] in paths(obj)
}

test_cronjob_containers if {
	obj := {"apiVersion": "batch/v1", "kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": pod_spec}}}}}
	["spec", "jobTemplate", "spec", "template", "spec", "containers", 0] in paths(obj)
}

test_every_workload_kind if {
	every kind in ["ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job"] {
		count(pods.containers({"apiVersion": "apps/v1", "kind": kind, "spec": {"template": {"spec": pod_spec}}})) == 4
	}
	count(pods.containers({"apiVersion": "v1", "kind": "PodTemplate", "template": {"spec": pod_spec}})) == 4
}

test_custom_resource_named_deployment_is_not_a_workload if {
	count(pods.containers({"apiVersion": "example.com/v1", "kind": "Deployment", "spec": {"template": {"spec": pod_spec}}})) == 0
}

test_other_objects_have_no_containers if {
	count(pods.containers({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}})) == 0
	count(pods.containers({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {}})) == 0
	count(pods.containers({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": {"spec": {"containers": null}}}})) == 0
}

test_container_name if {
	pods.container_name({"field": "containers", "container": {"name": "app"}, "path": ["spec", "containers", 0]}) == "containers[app]"
	pods.container_name({"field": "initContainers", "container": {}, "path": ["spec", "initContainers", 2]}) == "initContainers[2]"
}
