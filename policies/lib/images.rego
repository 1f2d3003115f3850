# Container image references: [registry[:port]/]repository[:tag][@digest].
# https://github.com/distribution/reference/blob/main/reference.go (grammar)
package fluxgate.lib.images

# parse(ref) is {"name", "tag", "digest"}; tag and digest are "" when absent. The tag is
# only looked for after the last `/`, so the port of `registry:5000/app` is not a tag.
parse(ref) := {"name": name, "tag": tag, "digest": digest} if {
	at := split(ref, "@")
	name_tag := at[0]
	digest := concat("@", array.slice(at, 1, count(at)))
	segments := split(name_tag, "/")
	parts := split(segments[count(segments) - 1], ":")
	tag := concat(":", array.slice(parts, 1, count(parts)))
	name := trim_suffix(trim_suffix(name_tag, tag), ":")
}
