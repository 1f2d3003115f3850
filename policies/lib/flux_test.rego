package fluxgate.lib.flux_test

import data.fluxgate.lib.flux

test_controller_account if {
	flux.controller_account({"kind": "ServiceAccount", "name": "kustomize-controller", "namespace": "flux-system"}, "flux-system")
	not flux.controller_account({"kind": "ServiceAccount", "name": "kustomize-controller", "namespace": "apps"}, "flux-system")
	not flux.controller_account({"kind": "User", "name": "kustomize-controller", "namespace": "flux-system"}, "flux-system")
	not flux.controller_account({"kind": "ServiceAccount", "name": "default", "namespace": "flux-system"}, "flux-system")
}

test_install_object if {
	flux.install_object({"metadata": {"name": "crd-controller"}}, "crd-controller")
	flux.install_object({"metadata": {"name": "crd-controller-flux-system"}}, "crd-controller")
	custom := {"metadata": {"name": "crd-controller-flux", "labels": {"app.kubernetes.io/part-of": "flux", "app.kubernetes.io/instance": "flux"}}}
	flux.install_object(custom, "crd-controller")
	flux.install_namespace(custom, "crd-controller") == "flux"
	flux.install_namespace({"metadata": {"name": "crd-controller-flux-system"}}, "crd-controller") == "flux-system"
	not flux.install_object({"metadata": {"name": "crd-controller-flux"}}, "crd-controller")
	not flux.install_object({"metadata": {"name": "my-crd-controller"}}, "crd-controller")
}
