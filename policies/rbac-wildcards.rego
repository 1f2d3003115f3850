# METADATA
# title: No wildcard RBAC rules
# description: Roles and ClusterRoles name their verbs, resources and API groups; `*` also grants whatever is added to the cluster later.
# related_resources:
#   - ref: https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/policy-rbac-wildcards.md
#     description: rule documentation
#   - ref: https://kubernetes.io/docs/concepts/security/rbac-good-practices/#minimize-permissions
#     description: Kubernetes RBAC good practices (avoid wildcards)
# custom:
#   id: policy/rbac-wildcards
#   severity: warning
#   scope: resource
#   options:
#     type: object
#     additionalProperties: false
#     properties:
#       allowedRoles:
#         type: array
#         default: []
#         description: roles allowed to use `*`, in addition to Flux's own (crd-controller, flux-edit, flux-view); a ClusterRole by name, a Role as namespace/name
#         items:
#           type: string
package fluxgate.policy.rbac_wildcards

import data.fluxgate.lib.config
import data.fluxgate.lib.flux
import data.fluxgate.lib.kube
import data.fluxgate.lib.pointer

# The id from this package's METADATA, so it is written once.
rule_id := [id | some entry in rego.metadata.chain(); id := entry.annotations.custom.id][0]

# Flux's own ClusterRoles: full access to Flux's API groups, for its controllers (crd-controller)
# and aggregated into the built-in edit/view roles (flux-edit, flux-view).
# https://github.com/fluxcd/flux2/tree/main/manifests/rbac
flux_roles := {"crd-controller", "flux-edit", "flux-view"}

fields := ["apiGroups", "resources", "verbs"]

nouns := {"apiGroups": "every API group", "resources": "every resource", "verbs": "every verb"}

# METADATA
# scope: document
# entrypoint: true
# custom:
#   severity: warning
warn contains {"msg": msg, "path": pointer.from(path), "rule_id": rule_id} if {
	input.kind in {"Role", "ClusterRole"}
	kube.api_group(input) == "rbac.authorization.k8s.io"
	not allowed
	some i, rbac_rule in object.get(input, "rules", [])
	wild := [field | some field in fields; "*" in object.get(rbac_rule, field, [])]
	count(wild) > 0
	path := ["rules", i, wild[0], first_star(rbac_rule[wild[0]])]
	msg := concat("", [
		input.kind, " ", kube.display(input), " rules[", format_int(i, 10), "] allows ",
		concat(" and ", [nouns[f] | some f in wild]),
		" (`*`), including those added to the cluster later; list them explicitly",
	])
}

first_star(list) := min({j | some j, v in list; v == "*"})

allowed if {
	input.kind == "ClusterRole"
	some base in flux_roles
	flux.install_object(input, base)
}

allowed if kube.display(input) in config.option(rule_id, "allowedRoles", [])
