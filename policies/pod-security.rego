# METADATA
# title: Pods follow the restricted Pod Security Standard
# description: Pod templates run without privileges, host namespaces, hostPath volumes or host ports, as non-root, without privilege escalation, with capabilities dropped and a seccomp profile.
# related_resources:
#   - ref: https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/policy-pod-security.md
#     description: rule documentation
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/
#     description: Kubernetes Pod Security Standards (baseline, restricted)
# custom:
#   id: policy/pod-security
#   severity: warning
#   scope: resource
#   options:
#     type: object
#     additionalProperties: false
#     properties:
#       level:
#         enum: [restricted, baseline]
#         default: restricted
#         description: baseline checks only privileged containers, host namespaces, hostPath volumes, host ports and added capabilities
#       ignoreNamespaces:
#         type: array
#         default: [kube-system]
#         description: namespaces whose workloads are node-level infrastructure and are not checked
#         items:
#           type: string
package fluxgate.policy.pod_security

import data.fluxgate.lib.config
import data.fluxgate.lib.kube
import data.fluxgate.lib.pods
import data.fluxgate.lib.pointer

# The id from this package's METADATA, so it is written once.
rule_id := [id | some entry in rego.metadata.chain(); id := entry.annotations.custom.id][0]

restricted if config.option(rule_id, "level", "restricted") == "restricted"

# Capabilities the baseline profile allows to add; restricted allows NET_BIND_SERVICE only.
baseline_capabilities := {
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}

allowed_capabilities := {"NET_BIND_SERVICE"} if restricted

else := baseline_capabilities

# The pod spec under check; undefined for non-workloads and ignored namespaces.
pod := ps if {
	ps := pods.pod_spec(input)
	not kube.namespace(input) in config.option(rule_id, "ignoreNamespaces", ["kube-system"])
}

containers := {c | some c in pods.containers(input); pod}

subject := concat("", [input.kind, " ", kube.display(input)])

finding(path, what) := {
	"msg": concat("", [subject, " ", what]),
	"path": pointer.from(path),
	"rule_id": rule_id,
}

pod_context := object.get(pod.spec, "securityContext", {})

container_context(c) := object.get(c.container, "securityContext", {})

# METADATA
# scope: document
# entrypoint: true
# custom:
#   severity: warning
warn contains finding(path, what) if {
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	pod.spec[field] == true
	path := array.concat(pod.path, [field])
	what := concat("", ["sets ", field, ": true and shares the node's namespace"])
}

warn contains finding(path, what) if {
	some i, volume in object.get(pod.spec, "volumes", [])
	is_object(volume.hostPath)
	path := array.concat(pod.path, ["volumes", i, "hostPath"])
	what := concat("", [
		"mounts the node's directory ", object.get(volume.hostPath, "path", ""),
		" (hostPath volume ", object.get(volume, "name", ""), ")",
	])
}

warn contains finding(path, what) if {
	some c in containers
	container_context(c).privileged == true
	path := array.concat(c.path, ["securityContext", "privileged"])
	what := concat("", [pods.container_name(c), " runs privileged"])
}

warn contains finding(path, what) if {
	some c in containers
	some j, port in object.get(c.container, "ports", [])
	is_number(port.hostPort)
	port.hostPort != 0
	path := array.concat(c.path, ["ports", j, "hostPort"])
	what := concat("", [pods.container_name(c), " binds host port ", format_int(port.hostPort, 10)])
}

warn contains finding(path, what) if {
	some c in containers
	some j, cap in object.get(container_context(c), ["capabilities", "add"], [])
	not trim_prefix(upper(cap), "CAP_") in allowed_capabilities
	path := array.concat(c.path, ["securityContext", "capabilities", "add", j])
	what := concat("", [pods.container_name(c), " adds the capability ", cap])
}

# Restricted profile.

warn contains finding(path, what) if {
	restricted
	some c in containers
	object.get(container_context(c), "allowPrivilegeEscalation", null) != false
	path := array.concat(c.path, ["securityContext", "allowPrivilegeEscalation"])
	what := concat("", [pods.container_name(c), " does not set allowPrivilegeEscalation: false"])
}

warn contains finding(path, what) if {
	restricted
	some c in containers
	drop := {upper(d) | some d in object.get(container_context(c), ["capabilities", "drop"], [])}
	not "ALL" in drop
	path := array.concat(c.path, ["securityContext", "capabilities", "drop"])
	what := concat("", [pods.container_name(c), " does not drop ALL capabilities"])
}

warn contains finding(array.concat(pod.path, ["securityContext", "runAsUser"]), "runs as root: runAsUser is 0") if {
	restricted
	pod_context.runAsUser == 0
}

warn contains finding(path, what) if {
	restricted
	some c in containers
	container_context(c).runAsUser == 0
	path := array.concat(c.path, ["securityContext", "runAsUser"])
	what := concat("", [pods.container_name(c), " runs as root: runAsUser is 0"])
}

# runAsNonRoot and seccompProfile may be set for the pod or per container; a container's
# own setting wins. When neither the pod nor any container is covered, one finding at the
# pod's securityContext; otherwise one for each container that is not covered.
warn contains finding(path, "does not set runAsNonRoot: true for the pod or its containers") if {
	restricted
	count(containers) > 0
	not non_root_pod
	count(non_root_containers) == 0
	path := array.concat(pod.path, ["securityContext", "runAsNonRoot"])
}

warn contains finding(path, what) if {
	restricted
	pod_level_or_some(non_root_pod, non_root_containers)
	some c in containers
	not non_root(c)
	path := array.concat(c.path, ["securityContext", "runAsNonRoot"])
	what := concat("", [pods.container_name(c), " may run as root: runAsNonRoot is not true"])
}

warn contains finding(path, "sets no seccompProfile of type RuntimeDefault or Localhost for the pod or its containers") if {
	restricted
	count(containers) > 0
	not seccomp_pod
	count(seccomp_containers) == 0
	path := array.concat(pod.path, ["securityContext", "seccompProfile"])
}

warn contains finding(path, what) if {
	restricted
	pod_level_or_some(seccomp_pod, seccomp_containers)
	some c in containers
	not seccomp(c)
	path := array.concat(c.path, ["securityContext", "seccompProfile"])
	what := concat("", [pods.container_name(c), " has no seccompProfile of type RuntimeDefault or Localhost"])
}

pod_level_or_some(pod_level, _) if pod_level

pod_level_or_some(_, covered) if count(covered) > 0

default non_root_pod := false

non_root_pod if pod_context.runAsNonRoot == true

non_root_containers := {c | some c in containers; non_root(c)}

default seccomp_pod := false

seccomp_pod if pod_context.seccompProfile.type in seccomp_types

seccomp_containers := {c | some c in containers; seccomp(c)}

non_root(c) if container_context(c).runAsNonRoot == true

non_root(c) if {
	object.get(container_context(c), "runAsNonRoot", null) == null
	pod_context.runAsNonRoot == true
}

seccomp_types := {"RuntimeDefault", "Localhost"}

seccomp(c) if container_context(c).seccompProfile.type in seccomp_types

seccomp(c) if {
	object.get(container_context(c), ["seccompProfile", "type"], null) == null
	pod_context.seccompProfile.type in seccomp_types
}
