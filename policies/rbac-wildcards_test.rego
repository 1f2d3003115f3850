package fluxgate.policy.rbac_wildcards_test

import data.fluxgate.policy.rbac_wildcards as rule

role(kind, name, rules) := {
	"apiVersion": "rbac.authorization.k8s.io/v1",
	"kind": kind,
	"metadata": {"name": name},
	"rules": rules,
}

# Flux's crd-controller rules, as in gotk-components.yaml.
flux_rules := [
	{"apiGroups": ["source.toolkit.fluxcd.io"], "resources": ["*"], "verbs": ["*"]},
	{"apiGroups": ["kustomize.toolkit.fluxcd.io"], "resources": ["*"], "verbs": ["*"]},
	{"apiGroups": [""], "resources": ["namespaces", "secrets"], "verbs": ["get", "list", "watch"]},
]

test_flux_roles_pass if {
	every name in ["crd-controller", "crd-controller-flux-system", "flux-edit", "flux-edit-flux-system", "flux-view", "flux-view-flux-system"] {
		count(rule.warn) == 0 with input as role("ClusterRole", name, flux_rules)
	}
}

test_flux_roles_of_a_custom_namespace_install_pass if {
	obj := json.patch(role("ClusterRole", "crd-controller-flux", flux_rules), [{
		"op": "add", "path": "/metadata/labels",
		"value": {"app.kubernetes.io/part-of": "flux", "app.kubernetes.io/instance": "flux"},
	}])
	count(rule.warn) == 0 with input as obj
}

test_same_rules_under_another_name_warn if {
	findings := rule.warn with input as role("ClusterRole", "my-controller", flux_rules)
	{f.path | some f in findings} == {"/rules/0/resources/0", "/rules/1/resources/0"}
}

test_message_names_every_wildcard if {
	obj := role("ClusterRole", "god-mode", [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}])
	rule.warn == {{
		"msg": "ClusterRole god-mode rules[0] allows every API group and every resource and every verb (`*`), including those added to the cluster later; list them explicitly",
		"path": "/rules/0/apiGroups/0",
		"rule_id": "policy/rbac-wildcards",
	}} with input as obj
}

test_wildcard_verb_in_a_role if {
	obj := json.patch(role("Role", "deployer", [{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get", "*"]}]), [{"op": "add", "path": "/metadata/namespace", "value": "apps"}])
	[f] := [f | some f in rule.warn] with input as obj
	f.path == "/rules/0/verbs/1"
	startswith(f.msg, "Role apps/deployer rules[0] allows every verb")
}

test_explicit_rules_pass if {
	count(rule.warn) == 0 with input as role("ClusterRole", "reader", [{"apiGroups": ["apps"], "resources": ["deployments", "deployments/scale"], "verbs": ["get", "list", "watch"]}])
}

test_aggregated_role_without_rules_passes if {
	obj := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "monitoring"}, "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"rbac.example.com/aggregate-to-monitoring": "true"}}]}}
	count(rule.warn) == 0 with input as obj
}

test_allowed_roles_option if {
	cfg := {"rules": {"policy/rbac-wildcards": {"options": {"allowedRoles": ["my-controller", "apps/deployer"]}}}}
	count(rule.warn) == 0 with input as role("ClusterRole", "my-controller", flux_rules) with data.fluxgate.config as cfg
	obj := json.patch(role("Role", "deployer", [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]), [{"op": "add", "path": "/metadata/namespace", "value": "apps"}])
	count(rule.warn) == 0 with input as obj with data.fluxgate.config as cfg
	count(rule.warn) == 1 with input as obj
}

test_role_bindings_are_not_roles if {
	count(rule.warn) == 0 with input as {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "x"}, "rules": [{"verbs": ["*"]}]}
}
