# The engine's knowledge about the object under check (data.fluxgate.resource, or the
# `resource` of an entry of the cluster-scope input): see ../README.md.
package fluxgate.lib.context

# unknown(pointer) holds when the value at pointer, or a value inside it, was substituted by
# Flux postBuild from a variable fluxgate cannot know (its substituteFrom Secret is
# SOPS-encrypted or not in Git). Such values are rendered as if empty; rules give no verdict
# on them rather than a false finding.
unknown(pointer) if unknown_in(data.fluxgate.resource, pointer)

# unknown_in(resource, pointer) is unknown(pointer) for an explicit resource context.
unknown_in(resource, pointer) if {
	some p in resource.unknown
	covers(pointer, p)
}

covers(pointer, p) if p == pointer

covers(pointer, p) if startswith(p, concat("", [pointer, "/"]))

# committed(pointer, value) is the string as written in Git, before Flux postBuild
# substitution (which the engine has already applied to input), else value.
committed(pointer, value) := original if {
	original := data.fluxgate.resource.preSubstitution[pointer]
	is_string(original)
} else := value
