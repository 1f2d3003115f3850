package fluxgate.policy.flux_tenant_service_account_test

import data.fluxgate.policy.flux_tenant_service_account as rule

multi := {"tenancy": "multi"}

kustomization(ns) := {
	"apiVersion": "kustomize.toolkit.fluxcd.io/v1",
	"kind": "Kustomization",
	"metadata": {"name": "dev-team", "namespace": ns},
	"spec": {"interval": "5m", "path": "./deploy", "prune": true, "sourceRef": {"kind": "GitRepository", "name": "dev-team"}},
}

helm_release(ns) := {
	"apiVersion": "helm.toolkit.fluxcd.io/v2",
	"kind": "HelmRelease",
	"metadata": {"name": "podinfo", "namespace": ns},
	"spec": {"interval": "5m", "chart": {"spec": {"chart": "podinfo", "version": "6.7.1", "sourceRef": {"kind": "HelmRepository", "name": "podinfo"}}}},
}

with_account(obj) := json.patch(obj, [{"op": "add", "path": "/spec/serviceAccountName", "value": "dev-team"}])

test_single_tenancy_is_inert if {
	count(rule.deny) == 0 with input as kustomization("apps")
	count(rule.deny) == 0 with input as kustomization("apps") with data.fluxgate.config as {"tenancy": "single"}
}

test_tenant_kustomization_without_account_fails if {
	rule.deny == {{
		"msg": "Kustomization apps/dev-team in tenant namespace \"apps\" sets no spec.serviceAccountName, so it reconciles with the controller's own (cluster-admin) account; set the tenant's service account",
		"path": "/spec",
		"rule_id": "policy/flux-tenant-service-account",
	}} with input as kustomization("apps") with data.fluxgate.config as multi
}

test_tenant_helm_release_without_account_fails if {
	count(rule.deny) == 1 with input as helm_release("apps") with data.fluxgate.config as multi
}

test_tenant_objects_with_account_pass if {
	count(rule.deny) == 0 with input as with_account(kustomization("apps")) with data.fluxgate.config as multi
	count(rule.deny) == 0 with input as with_account(helm_release("apps")) with data.fluxgate.config as multi
}

test_flux_system_is_the_platform if {
	count(rule.deny) == 0 with input as kustomization("flux-system") with data.fluxgate.config as multi
	count(rule.deny) == 0 with input as helm_release("flux-system") with data.fluxgate.config as multi
}

test_system_namespaces_option if {
	cfg := {"tenancy": "multi", "rules": {"policy/flux-tenant-service-account": {"options": {"systemNamespaces": ["flux-system", "platform"]}}}}
	count(rule.deny) == 0 with input as kustomization("platform") with data.fluxgate.config as cfg
	count(rule.deny) == 1 with input as kustomization("apps") with data.fluxgate.config as cfg
}

test_namespace_from_owning_kustomization if {
	obj := json.remove(kustomization("x"), ["metadata/namespace"])
	count(rule.deny) == 1 with input as obj with data.fluxgate.config as multi with data.fluxgate.kustomization as {"namespace": "apps", "name": "tenants"}
	count(rule.deny) == 0 with input as obj with data.fluxgate.config as multi with data.fluxgate.kustomization as {"namespace": "flux-system", "name": "tenants"}
	count(rule.deny) == 0 with input as obj with data.fluxgate.config as multi
}

test_other_kinds_are_ignored if {
	plain := {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "metadata": {"name": "x", "namespace": "apps"}, "spec": {}}
	count(rule.deny) == 0 with input as plain with data.fluxgate.config as multi
}

test_account_from_an_unknown_variable_has_no_verdict if {
	obj := json.patch(kustomization("apps"), [{"op": "add", "path": "/spec/serviceAccountName", "value": null}])
	ctx := {"file": "tenants/apps.yaml", "document": 0, "unknown": ["/spec/serviceAccountName"]}
	count(rule.deny) == 0 with input as obj with data.fluxgate.config as multi with data.fluxgate.resource as ctx
	count(rule.deny) == 1 with input as obj with data.fluxgate.config as multi
}
