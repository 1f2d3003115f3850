# What a Flux installation itself contains, so that rules do not report Flux's own objects.
# https://github.com/fluxcd/flux2/tree/main/manifests (rbac/, install/) and
# pkg/manifestgen/install/templates.go: `flux install` and `flux bootstrap` add the suffix
# `-<namespace>` to the names of cluster-wide RBAC objects and label every object
# `app.kubernetes.io/part-of: flux`, `app.kubernetes.io/instance: <namespace>`.
package fluxgate.lib.flux

import data.fluxgate.lib.kube

# The service accounts of the Flux controllers, in the namespace Flux is installed in.
controllers := {
	"source-controller",
	"kustomize-controller",
	"helm-controller",
	"notification-controller",
	"image-reflector-controller",
	"image-automation-controller",
	"source-watcher",
}

default_namespace := "flux-system"

# controller_account(subject, ns) holds for the service account of a Flux controller in ns.
controller_account(subject, ns) if {
	subject.kind == "ServiceAccount"
	subject.name in controllers
	object.get(subject, "namespace", "") == ns
}

# install_object(obj, base) holds when obj is the cluster-wide object `base` of a Flux install:
# named `base` or `base-flux-system`, or `base-<ns>` and labelled as Flux's install in <ns>.
install_object(obj, base) if kube.name(obj) == base

install_object(obj, base) if kube.name(obj) == concat("-", [base, default_namespace])

install_object(obj, base) if {
	labels := object.get(obj, ["metadata", "labels"], {})
	labels["app.kubernetes.io/part-of"] == "flux"
	ns := labels["app.kubernetes.io/instance"]
	kube.name(obj) == concat("-", [base, ns])
}

# install_namespace(obj, base) is the namespace of the Flux install that obj belongs to.
install_namespace(obj, base) := default_namespace if {
	kube.name(obj) in {base, concat("-", [base, default_namespace])}
} else := ns if {
	labels := object.get(obj, ["metadata", "labels"], {})
	labels["app.kubernetes.io/part-of"] == "flux"
	ns := labels["app.kubernetes.io/instance"]
	kube.name(obj) == concat("-", [base, ns])
}
