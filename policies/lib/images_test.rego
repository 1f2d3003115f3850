package fluxgate.lib.images_test

import data.fluxgate.lib.images

test_plain_name if images.parse("nginx") == {"name": "nginx", "tag": "", "digest": ""}

test_tag if images.parse("nginx:1.27.3") == {"name": "nginx", "tag": "1.27.3", "digest": ""}

test_registry_port_is_not_a_tag if {
	images.parse("registry.local:5000/team/app") == {"name": "registry.local:5000/team/app", "tag": "", "digest": ""}
	images.parse("registry.local:5000/team/app:v2") == {"name": "registry.local:5000/team/app", "tag": "v2", "digest": ""}
}

test_digest if {
	d := "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	images.parse(concat("@", ["ghcr.io/fluxcd/source-controller", d])) == {"name": "ghcr.io/fluxcd/source-controller", "tag": "", "digest": d}
	images.parse(concat("@", ["ghcr.io/fluxcd/source-controller:v1.6.0", d])) == {"name": "ghcr.io/fluxcd/source-controller", "tag": "v1.6.0", "digest": d}
}

test_empty_tag if images.parse("nginx:") == {"name": "nginx", "tag": "", "digest": ""}
