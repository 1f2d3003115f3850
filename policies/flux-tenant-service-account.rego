# METADATA
# title: Flux tenants impersonate a service account
# description: In a multi-tenant repository (config tenancy = multi), Flux Kustomizations and HelmReleases outside flux-system set spec.serviceAccountName, so a tenant cannot apply more than its own RBAC allows.
# related_resources:
#   - ref: https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/policy-flux-tenant-service-account.md
#     description: rule documentation
#   - ref: https://fluxcd.io/flux/installation/configuration/multitenancy/
#     description: Flux multi-tenancy lockdown
#   - ref: https://fluxcd.io/flux/components/kustomize/kustomizations/#role-based-access-control
#     description: Kustomization serviceAccountName
# custom:
#   id: policy/flux-tenant-service-account
#   severity: error
#   scope: resource
#   options:
#     type: object
#     additionalProperties: false
#     properties:
#       systemNamespaces:
#         type: array
#         default: [flux-system]
#         description: namespaces of the platform team, whose Flux objects may reconcile with the controllers' own service account
#         items:
#           type: string
package fluxgate.policy.flux_tenant_service_account

import data.fluxgate.lib.config
import data.fluxgate.lib.context
import data.fluxgate.lib.kube

# The id from this package's METADATA, so it is written once.
rule_id := [id | some entry in rego.metadata.chain(); id := entry.annotations.custom.id][0]

system_namespaces := config.option(rule_id, "systemNamespaces", ["flux-system"])

# METADATA
# scope: document
# entrypoint: true
# custom:
#   severity: error
deny contains {"msg": msg, "path": "/spec", "rule_id": rule_id} if {
	config.tenancy == "multi"
	flux_object
	ns := namespace
	not ns in system_namespaces
	object.get(input, ["spec", "serviceAccountName"], null) in {null, ""}
	not context.unknown("/spec/serviceAccountName")
	msg := concat("", [
		input.kind, " ", kube.display(input), " in tenant namespace \"", ns,
		"\" sets no spec.serviceAccountName, so it reconciles with the controller's own (cluster-admin) account; set the tenant's service account",
	])
}

flux_object if kube.is(input, "kustomize.toolkit.fluxcd.io", "Kustomization")

flux_object if kube.is(input, "helm.toolkit.fluxcd.io", "HelmRelease")

# The rendered object's namespace; without one, Flux applies it in the namespace of the
# Flux Kustomization that owns it. Unknown (no verdict) when neither is known.
namespace := ns if {
	ns := kube.namespace(input)
	ns != ""
} else := ns if {
	ns := data.fluxgate.kustomization.namespace
	is_string(ns)
	ns != ""
}
