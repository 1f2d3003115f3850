package fluxgate.lib.kube_test

import data.fluxgate.lib.kube

test_api_group if {
	kube.api_group({"apiVersion": "v1"}) == ""
	kube.api_group({"apiVersion": "apps/v1"}) == "apps"
	kube.api_group({}) == ""
}

test_is if {
	kube.is({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease"}, "helm.toolkit.fluxcd.io", "HelmRelease")
	not kube.is({"apiVersion": "example.com/v1", "kind": "HelmRelease"}, "helm.toolkit.fluxcd.io", "HelmRelease")
}

test_identity_and_display if {
	obj := {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "a", "namespace": "b"}}
	kube.identity(obj) == {"apiVersion": "v1", "kind": "Secret", "namespace": "b", "name": "a"}
	kube.display(obj) == "b/a"
	kube.display({"kind": "ClusterRole", "metadata": {"name": "c"}}) == "c"
}

test_placeholder if {
	kube.placeholder("${PASSWORD}")
	kube.placeholder("${A}${b_2}")
	not kube.placeholder("prefix-${A}")
	not kube.placeholder("${A}-suffix")
	not kube.placeholder("${A:=default}")
	not kube.placeholder("$A")
	not kube.placeholder("")
	not kube.placeholder("${1A}")
}
