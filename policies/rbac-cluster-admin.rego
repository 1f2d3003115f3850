# METADATA
# title: No cluster-admin bindings
# description: No ClusterRoleBinding or RoleBinding grants the cluster-admin ClusterRole, except to Flux's own controllers, Flux tenants inside their namespace, and allowed subjects.
# related_resources:
#   - ref: https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/policy-rbac-cluster-admin.md
#     description: rule documentation
#   - ref: https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
#     description: Kubernetes RBAC good practices
#   - ref: https://fluxcd.io/flux/installation/configuration/multitenancy/
#     description: Flux multi-tenancy (tenant RoleBindings to cluster-admin)
# custom:
#   id: policy/rbac-cluster-admin
#   severity: error
#   scope: resource
#   options:
#     type: object
#     additionalProperties: false
#     properties:
#       allowedSubjects:
#         type: array
#         default: []
#         description: subjects that may be bound to cluster-admin, in addition to Flux's own; a subject without namespace matches any namespace
#         items:
#           type: object
#           additionalProperties: false
#           required: [kind, name]
#           properties:
#             kind:
#               enum: [User, Group, ServiceAccount]
#             name:
#               type: string
#             namespace:
#               type: string
package fluxgate.policy.rbac_cluster_admin

import data.fluxgate.lib.config
import data.fluxgate.lib.flux
import data.fluxgate.lib.kube

# The id from this package's METADATA, so it is written once.
rule_id := [id | some entry in rego.metadata.chain(); id := entry.annotations.custom.id][0]

allowed_subjects := config.option(rule_id, "allowedSubjects", [])

# METADATA
# scope: document
# entrypoint: true
# custom:
#   severity: error
deny contains {"msg": msg, "path": "/roleRef/name", "rule_id": rule_id} if {
	input.kind in {"ClusterRoleBinding", "RoleBinding"}
	kube.api_group(input) == "rbac.authorization.k8s.io"
	input.roleRef.kind == "ClusterRole"
	input.roleRef.name == "cluster-admin"
	subjects := [describe(s) | some s in object.get(input, "subjects", []); not allowed(s)]
	count(subjects) > 0
	msg := concat("", [
		input.kind, " ", kube.display(input), grants, concat(", ", subjects),
		"; bind a narrower role, or list the subject in the option allowedSubjects", impersonated_note,
	])
}

# A cluster-wide reconciler of the platform team: Flux impersonates the account, so every object
# its Kustomizations and HelmReleases apply gets cluster-admin.
impersonated_note := " (Flux reconciles as this account: allow it if it is your platform's reconciler)" if {
	input.kind == "ClusterRoleBinding"
	some s in object.get(input, "subjects", [])
	s.kind == "ServiceAccount"
	concat("/", [object.get(s, "namespace", ""), s.name]) in data.fluxgate.cluster.fluxServiceAccounts
} else := ""

# A RoleBinding gives the ClusterRole's rights only in its own namespace.
grants := concat("", [" grants cluster-admin's rights in namespace ", kube.namespace(input), " (full control of it) to "]) if {
	input.kind == "RoleBinding"
} else := " grants cluster-admin (full control of every namespace and the cluster) to "

describe(s) := concat("", [s.kind, " ", object.get(s, "namespace", ""), "/", s.name]) if {
	s.kind == "ServiceAccount"
} else := concat("", [object.get(s, "kind", "subject"), " ", object.get(s, "name", "")])

# Flux's kustomize-controller and helm-controller: `cluster-reconciler` binds them to
# cluster-admin in every Flux install, in flux-system or in the namespace the binding's
# name and labels say.
allowed(s) if flux.controller_account(s, flux.default_namespace)

allowed(s) if {
	input.kind == "ClusterRoleBinding"
	flux.controller_account(s, flux.install_namespace(input, "cluster-reconciler"))
}

# A RoleBinding grants cluster-admin's rights only inside its own namespace. Flux tenants
# (`flux create tenant`) bind their namespace's service account and the user
# `gotk:<namespace>:reconciler` that way.
allowed(s) if {
	input.kind == "RoleBinding"
	s.kind == "ServiceAccount"
	object.get(s, "namespace", "") == kube.namespace(input)
}

allowed(s) if {
	input.kind == "RoleBinding"
	s.kind == "User"
	s.name == concat(":", ["gotk", kube.namespace(input), "reconciler"])
}

# A tenant's reconciler of another namespace that Flux impersonates (a Kustomization or
# HelmRelease with spec.serviceAccountName): Flux's multi-tenancy pattern, where the tenant's
# objects in namespace A deploy into namespace B, with admin rights in B only.
allowed(s) if {
	input.kind == "RoleBinding"
	s.kind == "ServiceAccount"
	concat("/", [object.get(s, "namespace", ""), s.name]) in data.fluxgate.cluster.fluxServiceAccounts
}

allowed(s) if {
	some a in allowed_subjects
	a.kind == s.kind
	a.name == s.name
	object.get(a, "namespace", object.get(s, "namespace", "")) == object.get(s, "namespace", "")
}
