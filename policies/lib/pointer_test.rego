package fluxgate.lib.pointer_test

import data.fluxgate.lib.pointer

test_root_is_empty if pointer.from([]) == ""

test_keys_and_indices if {
	pointer.from(["spec", "containers", 0, "image"]) == "/spec/containers/0/image"
}

test_escapes_slash_and_tilde if {
	pointer.from(["metadata", "annotations", "fluxcd.io/x~y"]) == "/metadata/annotations/fluxcd.io~1x~0y"
}
