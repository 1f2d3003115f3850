package fluxgate.lib.context_test

import data.fluxgate.lib.context

ctx := {"file": "apps/x.yaml", "document": 0, "unknown": ["/spec/template/spec/containers/0/image"], "preSubstitution": {"/stringData/a": "${A}"}}

test_unknown_pointer_and_its_ancestors if {
	context.unknown("/spec/template/spec/containers/0/image") with data.fluxgate.resource as ctx
	context.unknown("/spec/template/spec/containers/0") with data.fluxgate.resource as ctx
	not context.unknown("/spec/template/spec/containers/0/name") with data.fluxgate.resource as ctx
	not context.unknown("/spec/template/spec/containers/1") with data.fluxgate.resource as ctx
}

test_nothing_is_unknown_without_context if {
	not context.unknown("/spec")
	not context.unknown("/spec") with data.fluxgate.resource as null
	not context.unknown("/spec") with data.fluxgate.resource as {"file": "a.yaml", "document": 0}
}

test_unknown_in_an_explicit_context if {
	context.unknown_in({"unknown": ["/spec/ref/tag"]}, "/spec/ref")
	not context.unknown_in({}, "/spec/ref")
}

test_committed if {
	context.committed("/stringData/a", "value") == "${A}" with data.fluxgate.resource as ctx
	context.committed("/stringData/b", "value") == "value" with data.fluxgate.resource as ctx
	context.committed("/stringData/a", "value") == "value"
}
