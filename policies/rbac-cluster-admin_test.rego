package fluxgate.policy.rbac_cluster_admin_test

import data.fluxgate.policy.rbac_cluster_admin as rule

binding(kind, name, subjects) := {
	"apiVersion": "rbac.authorization.k8s.io/v1",
	"kind": kind,
	"metadata": {"name": name},
	"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
	"subjects": subjects,
}

sa(name, ns) := {"kind": "ServiceAccount", "name": name, "namespace": ns}

group(name) := {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": name}

# gotk-components.yaml as `flux bootstrap` writes it (names suffixed with the namespace).
test_flux_cluster_reconciler_passes if {
	subjects := [sa("kustomize-controller", "flux-system"), sa("helm-controller", "flux-system")]
	count(rule.deny) == 0 with input as binding("ClusterRoleBinding", "cluster-reconciler-flux-system", subjects)
	count(rule.deny) == 0 with input as binding("ClusterRoleBinding", "cluster-reconciler", subjects)
}

test_flux_installed_in_another_namespace_passes if {
	obj := json.patch(
		binding("ClusterRoleBinding", "cluster-reconciler-flux", [sa("kustomize-controller", "flux"), sa("helm-controller", "flux")]),
		[{"op": "add", "path": "/metadata/labels", "value": {"app.kubernetes.io/part-of": "flux", "app.kubernetes.io/instance": "flux"}}],
	)
	count(rule.deny) == 0 with input as obj
}

test_group_binding_fails_at_role_ref if {
	obj := binding("ClusterRoleBinding", "platform-admins", [group("6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f")])
	rule.deny == {{
		"msg": "ClusterRoleBinding platform-admins grants cluster-admin (full control of every namespace and the cluster) to Group 6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f; bind a narrower role, or list the subject in the option allowedSubjects",
		"path": "/roleRef/name",
		"rule_id": "policy/rbac-cluster-admin",
	}} with input as obj
}

test_extra_subject_on_flux_binding_fails if {
	obj := binding("ClusterRoleBinding", "cluster-reconciler-flux-system", [sa("kustomize-controller", "flux-system"), sa("default", "apps")])
	[f] := [f | some f in rule.deny] with input as obj
	contains(f.msg, "ServiceAccount apps/default")
	not contains(f.msg, "kustomize-controller")
}

test_flux_controller_name_outside_flux_namespace_fails if {
	count(rule.deny) == 1 with input as binding("ClusterRoleBinding", "sneaky", [sa("kustomize-controller", "apps")])
}

test_flux_tenant_role_binding_passes if {
	# `flux create tenant dev-team --with-namespace=apps --export`
	obj := json.patch(
		binding("RoleBinding", "dev-team-reconciler", [
			{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "gotk:apps:reconciler"},
			sa("dev-team", "apps"),
		]),
		[{"op": "add", "path": "/metadata/namespace", "value": "apps"}],
	)
	count(rule.deny) == 0 with input as obj
}

test_role_binding_of_a_group_fails if {
	obj := json.patch(binding("RoleBinding", "admins", [group("developers")]), [{"op": "add", "path": "/metadata/namespace", "value": "apps"}])
	count(rule.deny) == 1 with input as obj
}

test_role_binding_of_another_namespace_account_fails if {
	obj := json.patch(binding("RoleBinding", "x", [sa("ci", "tools")]), [{"op": "add", "path": "/metadata/namespace", "value": "apps"}])
	rule.deny == {{
		"msg": "RoleBinding apps/x grants cluster-admin's rights in namespace apps (full control of it) to ServiceAccount tools/ci; bind a narrower role, or list the subject in the option allowedSubjects",
		"path": "/roleRef/name",
		"rule_id": "policy/rbac-cluster-admin",
	}} with input as obj
}

test_role_binding_of_a_reconciler_flux_impersonates_passes if {
	# fluxcd/flux2-hub-spoke-example: the tenant's HelmRelease in namespace production reconciles
	# as production/flux-restricted, which is admin in podinfo only.
	obj := json.patch(binding("RoleBinding", "flux", [sa("flux-restricted", "production")]), [{"op": "add", "path": "/metadata/namespace", "value": "podinfo"}])
	count(rule.deny) == 0 with input as obj with data.fluxgate.cluster as {"name": "hub", "environment": null, "fluxServiceAccounts": ["production/flux-restricted"]}
	count(rule.deny) == 1 with input as obj with data.fluxgate.cluster as {"name": "hub", "environment": null, "fluxServiceAccounts": ["staging/flux-restricted"]}
}

test_other_roles_pass if {
	obj := json.patch(binding("ClusterRoleBinding", "view", [group("everyone")]), [{"op": "replace", "path": "/roleRef/name", "value": "view"}])
	count(rule.deny) == 0 with input as obj
	role := json.patch(binding("RoleBinding", "r", [group("everyone")]), [{"op": "replace", "path": "/roleRef/kind", "value": "Role"}])
	count(rule.deny) == 0 with input as role
}

test_allowed_subjects_option if {
	cfg := {"rules": {"policy/rbac-cluster-admin": {"options": {"allowedSubjects": [
		{"kind": "Group", "name": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"},
		{"kind": "ServiceAccount", "name": "velero", "namespace": "velero"},
	]}}}}
	count(rule.deny) == 0 with input as binding("ClusterRoleBinding", "platform-admins", [group("6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f")]) with data.fluxgate.config as cfg
	count(rule.deny) == 0 with input as binding("ClusterRoleBinding", "velero", [sa("velero", "velero")]) with data.fluxgate.config as cfg
	count(rule.deny) == 1 with input as binding("ClusterRoleBinding", "velero", [sa("velero", "backup")]) with data.fluxgate.config as cfg
}

test_binding_without_subjects_passes if count(rule.deny) == 0 with input as json.remove(binding("ClusterRoleBinding", "empty", []), ["subjects"])
