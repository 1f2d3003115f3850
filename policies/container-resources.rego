# METADATA
# title: Containers declare resources
# description: Every container and init container sets resource requests and limits (by default cpu and memory requests, a memory limit), so the scheduler can place it and a leak cannot starve its node.
# related_resources:
#   - ref: https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/policy-container-resources.md
#     description: rule documentation
#   - ref: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
#     description: Resource management for pods and containers
# custom:
#   id: policy/container-resources
#   severity: warning
#   scope: resource
#   options:
#     type: object
#     additionalProperties: false
#     properties:
#       requests:
#         type: array
#         default: [cpu, memory]
#         description: resources every container must request
#         items:
#           type: string
#       limits:
#         type: array
#         default: [memory]
#         description: resources every container must limit (a cpu limit throttles; it is not required by default)
#         items:
#           type: string
package fluxgate.policy.container_resources

import data.fluxgate.lib.config
import data.fluxgate.lib.context
import data.fluxgate.lib.pods
import data.fluxgate.lib.pointer

# The id from this package's METADATA, so it is written once.
rule_id := [id | some entry in rego.metadata.chain(); id := entry.annotations.custom.id][0]

required := {
	"requests": config.option(rule_id, "requests", ["cpu", "memory"]),
	"limits": config.option(rule_id, "limits", ["memory"]),
}

singular := {"requests": "request", "limits": "limit"}

# METADATA
# scope: document
# entrypoint: true
# custom:
#   severity: warning
warn contains {"msg": msg, "path": pointer.from(array.concat(c.path, missing_path(missing))), "rule_id": rule_id} if {
	some c in pods.containers(input)
	c.field != "ephemeralContainers" # ephemeral containers cannot have resources
	missing := [m |
		some kind in ["requests", "limits"]
		some name in required[kind]
		not declared(c, kind, name)
		m := {"kind": kind, "name": name}
	]
	count(missing) > 0
	msg := concat("", [
		pods.container_name(c), " sets no ",
		concat(", no ", [concat(" ", [m.name, singular[m.kind]]) | some m in missing]),
	])
}

declared(c, kind, name) if object.get(c.container, ["resources", kind, name], null) != null

# A quantity from a variable fluxgate cannot know is rendered as if empty: no verdict.
declared(c, kind, name) if context.unknown(pointer.from(array.concat(c.path, ["resources", kind, name])))

# Pod-level resources (Kubernetes 1.34+, PodLevelResources) cover every container.
declared(_, kind, name) if {
	spec := pods.pod_spec(input).spec
	object.get(spec, ["resources", kind, name], null) != null
}

missing_path(missing) := ["resources", missing[0].kind] if {
	every m in missing {
		m.kind == missing[0].kind
	}
} else := ["resources"]
