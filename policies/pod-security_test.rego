package fluxgate.policy.pod_security_test

import data.fluxgate.policy.pod_security as rule

hardened := {
	"allowPrivilegeEscalation": false,
	"readOnlyRootFilesystem": true,
	"capabilities": {"drop": ["ALL"]},
}

# podinfo from the clean example: runAsNonRoot and seccomp for the whole pod.
podinfo := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "podinfo", "namespace": "podinfo"},
	"spec": {"template": {"spec": {
		"securityContext": {"runAsNonRoot": true, "runAsUser": 10001, "fsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
		"containers": [{"name": "podinfo", "image": "ghcr.io/stefanprodan/podinfo:6.7.1", "securityContext": hardened}],
		"volumes": [{"name": "data", "emptyDir": {"sizeLimit": "64Mi"}}],
	}}},
}

# kustomize-controller from gotk-components.yaml: everything set on the container.
flux_controller := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "kustomize-controller", "namespace": "flux-system"},
	"spec": {"template": {"spec": {
		"securityContext": {"fsGroup": 1337},
		"containers": [{
			"name": "manager",
			"image": "ghcr.io/fluxcd/kustomize-controller:v1.9.4",
			"securityContext": {
				"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "runAsNonRoot": true,
				"runAsUser": 65534, "runAsGroup": 65534, "capabilities": {"drop": ["ALL"]},
				"seccompProfile": {"type": "RuntimeDefault"},
			},
		}],
		"volumes": [{"name": "temp", "emptyDir": {}}],
	}}},
}

paths(findings) := {f.path | some f in findings}

patched(ops) := json.patch(podinfo, ops)

test_hardened_workloads_pass if {
	count(rule.warn) == 0 with input as podinfo
	count(rule.warn) == 0 with input as flux_controller
}

test_bare_pod_warns_about_each_missing_setting if {
	obj := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "apps"}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27.3"}]}}
	findings := rule.warn with input as obj
	paths(findings) == {
		"/spec/securityContext/runAsNonRoot",
		"/spec/securityContext/seccompProfile",
		"/spec/containers/0/securityContext/allowPrivilegeEscalation",
		"/spec/containers/0/securityContext/capabilities/drop",
	}
	{f.msg | some f in findings} == {
		"Pod apps/web does not set runAsNonRoot: true for the pod or its containers",
		"Pod apps/web sets no seccompProfile of type RuntimeDefault or Localhost for the pod or its containers",
		"Pod apps/web containers[web] does not set allowPrivilegeEscalation: false",
		"Pod apps/web containers[web] does not drop ALL capabilities",
	}
}

test_privileged if {
	obj := patched([{"op": "add", "path": "/spec/template/spec/containers/0/securityContext/privileged", "value": true}])
	rule.warn == {{
		"msg": "Deployment podinfo/podinfo containers[podinfo] runs privileged",
		"path": "/spec/template/spec/containers/0/securityContext/privileged",
		"rule_id": "policy/pod-security",
	}} with input as obj
}

test_host_namespaces if {
	obj := patched([
		{"op": "add", "path": "/spec/template/spec/hostNetwork", "value": true},
		{"op": "add", "path": "/spec/template/spec/hostPID", "value": true},
		{"op": "add", "path": "/spec/template/spec/hostIPC", "value": false},
	])
	paths(rule.warn) == {"/spec/template/spec/hostNetwork", "/spec/template/spec/hostPID"} with input as obj
}

test_host_path_volume if {
	obj := patched([{"op": "add", "path": "/spec/template/spec/volumes/-", "value": {"name": "docker", "hostPath": {"path": "/var/run/docker.sock"}}}])
	[f] := [f | some f in rule.warn] with input as obj
	f.path == "/spec/template/spec/volumes/1/hostPath"
	f.msg == "Deployment podinfo/podinfo mounts the node's directory /var/run/docker.sock (hostPath volume docker)"
}

test_host_port if {
	obj := patched([{"op": "add", "path": "/spec/template/spec/containers/0/ports", "value": [{"containerPort": 80}, {"containerPort": 443, "hostPort": 443}]}])
	paths(rule.warn) == {"/spec/template/spec/containers/0/ports/1/hostPort"} with input as obj
}

test_added_capabilities if {
	obj := patched([{"op": "add", "path": "/spec/template/spec/containers/0/securityContext/capabilities/add", "value": ["NET_BIND_SERVICE", "NET_ADMIN", "CAP_CHOWN"]}])
	paths(rule.warn) == {
		"/spec/template/spec/containers/0/securityContext/capabilities/add/1",
		"/spec/template/spec/containers/0/securityContext/capabilities/add/2",
	} with input as obj

	# baseline allows CHOWN, not NET_ADMIN
	cfg := {"rules": {"policy/pod-security": {"options": {"level": "baseline"}}}}
	paths(rule.warn) == {"/spec/template/spec/containers/0/securityContext/capabilities/add/1"} with input as obj with data.fluxgate.config as cfg
}

test_privilege_escalation_true if {
	obj := patched([{"op": "replace", "path": "/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation", "value": true}])
	paths(rule.warn) == {"/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation"} with input as obj
}

test_container_overrides_run_as_non_root if {
	obj := patched([{"op": "add", "path": "/spec/template/spec/containers/-", "value": {"name": "sidecar", "image": "proxy:1.0.0", "securityContext": object.union(hardened, {"runAsNonRoot": false})}}])
	[f] := [f | some f in rule.warn] with input as obj
	f.path == "/spec/template/spec/containers/1/securityContext/runAsNonRoot"
	f.msg == "Deployment podinfo/podinfo containers[sidecar] may run as root: runAsNonRoot is not true"
}

test_one_container_covered_others_not if {
	# runAsNonRoot and seccomp only on the first of two containers
	obj := json.patch(flux_controller, [{"op": "add", "path": "/spec/template/spec/containers/-", "value": {"name": "sidecar", "image": "proxy:1.0.0", "securityContext": hardened}}])
	paths(rule.warn) == {
		"/spec/template/spec/containers/1/securityContext/runAsNonRoot",
		"/spec/template/spec/containers/1/securityContext/seccompProfile",
	} with input as obj
}

test_pod_level_run_as_non_root_false if {
	obj := patched([{"op": "replace", "path": "/spec/template/spec/securityContext/runAsNonRoot", "value": false}])
	paths(rule.warn) == {"/spec/template/spec/securityContext/runAsNonRoot"} with input as obj
}

test_run_as_user_zero if {
	obj := patched([{"op": "replace", "path": "/spec/template/spec/securityContext/runAsUser", "value": 0}])
	paths(rule.warn) == {"/spec/template/spec/securityContext/runAsUser"} with input as obj
	container := patched([{"op": "add", "path": "/spec/template/spec/containers/0/securityContext/runAsUser", "value": 0}])
	paths(rule.warn) == {"/spec/template/spec/containers/0/securityContext/runAsUser"} with input as container
}

test_unconfined_seccomp if {
	obj := patched([{"op": "add", "path": "/spec/template/spec/containers/0/securityContext/seccompProfile", "value": {"type": "Unconfined"}}])
	paths(rule.warn) == {"/spec/template/spec/containers/0/securityContext/seccompProfile"} with input as obj
	pod_level := patched([{"op": "replace", "path": "/spec/template/spec/securityContext/seccompProfile/type", "value": "Unconfined"}])
	paths(rule.warn) == {"/spec/template/spec/securityContext/seccompProfile"} with input as pod_level
}

test_init_and_ephemeral_containers_are_checked if {
	obj := patched([
		{"op": "add", "path": "/spec/template/spec/initContainers", "value": [{"name": "init", "image": "busybox:1.36", "securityContext": {"privileged": true}}]},
	])
	"/spec/template/spec/initContainers/0/securityContext/privileged" in paths(rule.warn) with input as obj
	pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
		"securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
		"containers": [{"name": "a", "image": "a:1", "securityContext": hardened}],
		"ephemeralContainers": [{"name": "debug", "image": "busybox:1.36"}],
	}}
	paths(rule.warn) == {
		"/spec/ephemeralContainers/0/securityContext/allowPrivilegeEscalation",
		"/spec/ephemeralContainers/0/securityContext/capabilities/drop",
	} with input as pod
}

test_baseline_level_skips_restricted_checks if {
	cfg := {"rules": {"policy/pod-security": {"options": {"level": "baseline"}}}}
	obj := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27.3"}]}}
	count(rule.warn) == 0 with input as obj with data.fluxgate.config as cfg
}

test_kube_system_is_ignored_by_default if {
	obj := json.patch(podinfo, [
		{"op": "replace", "path": "/metadata/namespace", "value": "kube-system"},
		{"op": "add", "path": "/spec/template/spec/hostNetwork", "value": true},
	])
	count(rule.warn) == 0 with input as obj
	cfg := {"rules": {"policy/pod-security": {"options": {"ignoreNamespaces": ["monitoring"]}}}}
	count(rule.warn) == 1 with input as obj with data.fluxgate.config as cfg
}

test_cronjob_paths if {
	obj := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "backup", "namespace": "ops"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": podinfo.spec.template.spec}}}}}
	count(rule.warn) == 0 with input as obj
	priv := json.patch(obj, [{"op": "add", "path": "/spec/jobTemplate/spec/template/spec/hostPID", "value": true}])
	paths(rule.warn) == {"/spec/jobTemplate/spec/template/spec/hostPID"} with input as priv
}

test_other_kinds_are_ignored if {
	count(rule.warn) == 0 with input as {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}}
}
