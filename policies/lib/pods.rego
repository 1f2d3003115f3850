# The pod templates of workload objects and their containers, with the path of each, so
# that every rule about containers sees the same set (init and ephemeral containers
# included) and reports the same JSON pointers.
package fluxgate.lib.pods

import data.fluxgate.lib.kube

# Where each workload kind keeps its PodSpec.
# https://kubernetes.io/docs/concepts/workloads/pods/#pod-templates
spec_paths := {
	"Pod": ["spec"],
	"PodTemplate": ["template", "spec"],
	"ReplicationController": ["spec", "template", "spec"],
	"ReplicaSet": ["spec", "template", "spec"],
	"Deployment": ["spec", "template", "spec"],
	"StatefulSet": ["spec", "template", "spec"],
	"DaemonSet": ["spec", "template", "spec"],
	"Job": ["spec", "template", "spec"],
	"CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
}

# Only the built-in workload API groups: a custom resource that happens to be called
# `Deployment` is not a pod template.
workload_groups := {"", "apps", "batch", "extensions"}

container_fields := ["initContainers", "containers", "ephemeralContainers"]

# pod_spec(obj) is {"spec": PodSpec, "path": [...]} for workload objects; undefined otherwise.
pod_spec(obj) := {"spec": spec, "path": path} if {
	kube.api_group(obj) in workload_groups
	path := spec_paths[obj.kind]
	spec := object.get(obj, path, null)
	is_object(spec)
}

# containers(obj) is the set of {"container", "field", "path"} of every container, init
# container and ephemeral container of the object's pod template; empty for other objects.
containers(obj) := {c |
	ps := pod_spec(obj)
	some field in container_fields
	list := object.get(ps.spec, field, [])
	is_array(list)
	some i, container in list
	is_object(container)
	c := {"container": container, "field": field, "path": array.concat(ps.path, [field, i])}
}

# container_name(c) names a container in messages: `containers[app]`, `initContainers[0]`.
container_name(c) := concat("", [c.field, "[", name, "]"]) if {
	name := object.get(c.container, "name", null)
	is_string(name)
} else := concat("", [c.field, "[", format_int(c.path[count(c.path) - 1], 10), "]"])
