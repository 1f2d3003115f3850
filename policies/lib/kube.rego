# Facts about Kubernetes objects that several rules share.
package fluxgate.lib.kube

# api_group(obj) is the API group of the object's apiVersion; "" for the core group (`v1`).
api_group(obj) := group if {
	parts := split(obj.apiVersion, "/")
	count(parts) == 2
	group := parts[0]
} else := ""

# is(obj, group, kind) holds when the object has that API group and kind, any version.
is(obj, group, kind) if {
	obj.kind == kind
	api_group(obj) == group
}

# namespace(obj) is metadata.namespace, "" when unset.
namespace(obj) := object.get(obj, ["metadata", "namespace"], "")

# name(obj) is metadata.name, "" when unset.
name(obj) := object.get(obj, ["metadata", "name"], "")

# identity(obj) is how findings of cluster-scope rules name a resource.
identity(obj) := {
	"apiVersion": object.get(obj, "apiVersion", ""),
	"kind": object.get(obj, "kind", ""),
	"namespace": namespace(obj),
	"name": name(obj),
}

# display(obj) is `namespace/name`, or `name` for objects without a namespace.
display(obj) := concat("/", [namespace(obj), name(obj)]) if namespace(obj) != ""

display(obj) := name(obj) if namespace(obj) == ""

# placeholder(s) holds when s consists only of Flux postBuild variables (`${VAR}`,
# `${VAR}${OTHER}`), with nothing committed around them. Default operators such as
# `${VAR:=value}` are not placeholders: the default is committed.
# https://fluxcd.io/flux/components/kustomize/kustomizations/#post-build-variable-substitution
placeholder(s) if regex.match(`^(\$\{[_a-zA-Z][_a-zA-Z0-9]*\})+$`, s)
