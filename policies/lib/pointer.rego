# JSON pointers (RFC 6901, https://www.rfc-editor.org/rfc/rfc6901) from paths written as
# arrays of keys and indices. Every finding's `path` is built here so that the engine can
# map it to the line the user edits.
package fluxgate.lib.pointer

# from(["spec", "containers", 0, "image"]) == "/spec/containers/0/image"; from([]) == "".
from(segments) := concat("", [s | some seg in segments; s := concat("", ["/", escape(seg)])])

escape(seg) := replace(replace(seg, "~", "~0"), "/", "~1") if is_string(seg)

escape(seg) := format_int(seg, 10) if is_number(seg)
