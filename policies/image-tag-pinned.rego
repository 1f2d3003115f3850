# METADATA
# title: Container images are pinned
# description: Every container image names an exact tag or a digest; `latest` or no tag lets each node run different code than was reviewed.
# related_resources:
#   - ref: https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/policy-image-tag-pinned.md
#     description: rule documentation
#   - ref: https://kubernetes.io/docs/concepts/containers/images/#image-names
#     description: Kubernetes image names, tags and digests
# custom:
#   id: policy/image-tag-pinned
#   severity: error
#   scope: resource
#   options:
#     type: object
#     additionalProperties: false
#     properties:
#       requireDigest:
#         type: boolean
#         default: false
#         description: every image must carry a digest (`@sha256:...`); a tag alone is a finding
#       mutableTags:
#         type: array
#         items:
#           type: string
#         default: [latest]
#         description: tags that move and never count as pinned (compared case-insensitively)
package fluxgate.policy.image_tag_pinned

import data.fluxgate.lib.config
import data.fluxgate.lib.context
import data.fluxgate.lib.images
import data.fluxgate.lib.pods
import data.fluxgate.lib.pointer

# The id from this package's METADATA, so it is written once.
rule_id := [id | some entry in rego.metadata.chain(); id := entry.annotations.custom.id][0]

require_digest := config.option(rule_id, "requireDigest", false)

mutable_tags := {lower(t) | some t in config.option(rule_id, "mutableTags", ["latest"])}

# METADATA
# scope: document
# entrypoint: true
# custom:
#   severity: error
deny contains finding(c, msg) if {
	some c in checked
	ref := images.parse(c.container.image)
	ref.digest == ""
	ref.tag == ""
	msg := concat("", [
		pods.container_name(c), " image \"", c.container.image,
		"\" has no tag, so every node pulls whatever `latest` is at that moment; pin an exact tag or a digest",
	])
}

deny contains finding(c, msg) if {
	some c in checked
	ref := images.parse(c.container.image)
	ref.digest == ""
	lower(ref.tag) in mutable_tags
	msg := concat("", [
		pods.container_name(c), " image \"", c.container.image, "\" uses the moving tag \"", ref.tag,
		"\"; pin an exact tag or a digest",
	])
}

deny contains finding(c, msg) if {
	require_digest
	some c in checked
	ref := images.parse(c.container.image)
	ref.digest == ""
	ref.tag != ""
	not lower(ref.tag) in mutable_tags
	msg := concat("", [
		pods.container_name(c), " image \"", c.container.image,
		"\" has no digest; this repository requires images pinned by digest (option requireDigest)",
	])
}

# Containers whose image is known. No verdict on an image that came from a variable
# fluxgate cannot know, or that still contains `${VAR}` (substitution did not run for
# this render, so the final value is unknown).
checked contains c if {
	some c in pods.containers(input)
	is_string(c.container.image)
	c.container.image != ""
	not contains(c.container.image, "${")
	not context.unknown(pointer.from(array.concat(c.path, ["image"])))
}

finding(c, msg) := {
	"msg": msg,
	"path": pointer.from(array.concat(c.path, ["image"])),
	"rule_id": rule_id,
}
