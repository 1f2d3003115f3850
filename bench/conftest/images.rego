# The peer of fluxgate's policy/image-tag-pinned, as a conftest user would write it.
package main

import rego.v1

containers contains c if {
	some c in input.spec.template.spec.containers
}

containers contains c if {
	some c in input.spec.template.spec.initContainers
}

containers contains c if {
	some c in input.spec.jobTemplate.spec.template.spec.containers
}

containers contains c if {
	input.kind == "Pod"
	some c in input.spec.containers
}

deny contains msg if {
	some c in containers
	not contains(c.image, "@")
	not regex.match(`:[^/:]+$`, c.image)
	msg := sprintf("%s/%s: container %s image %q has no tag", [input.kind, input.metadata.name, c.name, c.image])
}

deny contains msg if {
	some c in containers
	not contains(c.image, "@")
	lower(regex.find_n(`[^:/]+$`, c.image, 1)[0]) == "latest"
	msg := sprintf("%s/%s: container %s image %q uses latest", [input.kind, input.metadata.name, c.name, c.image])
}
