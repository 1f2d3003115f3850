# METADATA
# title: Git sources authenticate safely
# description: A GitRepository keeps credentials out of its URL, never uses plain http://, and authenticates with a secretRef or a workload-identity provider (public https sources are a warning).
# related_resources:
#   - ref: https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/policy-git-source-auth.md
#     description: rule documentation
#   - ref: https://fluxcd.io/flux/components/source/gitrepositories/#secret-reference
#     description: GitRepository secretRef (basic auth, bearer token, SSH key)
#   - ref: https://fluxcd.io/flux/components/source/gitrepositories/#provider
#     description: GitRepository provider (azure, github workload identity)
# custom:
#   id: policy/git-source-auth
#   severity: error
#   scope: resource
#   options:
#     type: object
#     additionalProperties: false
#     properties:
#       allowPublic:
#         type: boolean
#         default: false
#         description: https sources without secretRef or provider (public repositories) are fine; no warning
#       allowHttpHosts:
#         type: array
#         default: []
#         description: hosts that may be reached over plain http:// (for example an in-cluster Git server)
#         items:
#           type: string
package fluxgate.policy.git_source_auth

import data.fluxgate.lib.config
import data.fluxgate.lib.context
import data.fluxgate.lib.kube

# The id from this package's METADATA, so it is written once.
rule_id := [id | some entry in rego.metadata.chain(); id := entry.annotations.custom.id][0]

# METADATA
# scope: document
# entrypoint: true
# custom:
#   severity: error
deny contains finding(msg) if {
	credentials
	msg := concat("", [subject, " has credentials in spec.url; put them in a Secret and reference it with spec.secretRef"])
}

deny contains finding(msg) if {
	url.scheme == "http"
	not lower(url.host) in {lower(h) | some h in config.option(rule_id, "allowHttpHosts", [])}
	msg := concat("", [subject, " fetches over plain http://, so the content and any credentials travel unencrypted; use https:// or ssh://"])
}

deny contains finding(msg) if {
	url.scheme == "ssh"
	not has_secret_ref
	msg := concat("", [subject, " uses ssh:// without spec.secretRef; Flux needs a Secret with the SSH key (identity) and known_hosts"])
}

# METADATA
# scope: document
# entrypoint: true
# custom:
#   severity: warning
warn contains finding(msg) if {
	url.scheme == "https"
	not credentials
	not has_secret_ref
	not workload_identity
	not config.option(rule_id, "allowPublic", false)
	msg := concat("", [
		subject, " has neither spec.secretRef nor spec.provider, so it only works while the repository is public;",
		" add credentials, or set the option allowPublic if that is intended",
	])
}

finding(msg) := {"msg": msg, "path": "/spec/url", "rule_id": rule_id}

subject := concat("", ["GitRepository ", kube.display(input)])

# url is the parsed spec.url of a GitRepository; undefined for other objects, and while it
# is unknown: substituted from a variable fluxgate cannot know, or a `${VAR}` left in it.
url := {"scheme": lower(parts[0]), "userinfo": userinfo, "host": host} if {
	kube.is(input, "source.toolkit.fluxcd.io", "GitRepository")
	raw := input.spec.url
	is_string(raw)
	not contains(raw, "${")
	not context.unknown("/spec/url")
	parts := split(raw, "://")
	count(parts) > 1
	authority := split(parts[1], "/")[0]
	at := split(authority, "@")
	userinfo := concat("@", array.slice(at, 0, count(at) - 1))
	host := split(at[count(at) - 1], ":")[0]
}

# A password (`user:password@`), or a token used as the user name (`ghp_...@github.com`).
# A user name alone (`ssh://git@`, `https://org@dev.azure.com`) is not a credential.
credentials if {
	pair := split(url.userinfo, ":")
	count(pair) > 1
	concat(":", array.slice(pair, 1, count(pair))) != ""
}

credentials if {
	some prefix in token_prefixes
	startswith(url.userinfo, prefix)
}

# GitHub (https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/)
# and GitLab (https://docs.gitlab.com/security/tokens/#token-prefixes) token formats.
token_prefixes := {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-"}

has_secret_ref if not object.get(input.spec, ["secretRef", "name"], null) in {null, ""}

has_secret_ref if context.unknown("/spec/secretRef")

# provider: azure / github authenticate with workload identity or a GitHub App; `generic`
# (the default) is credentials from secretRef only.
workload_identity if not object.get(input.spec, "provider", null) in {null, "", "generic"}

workload_identity if context.unknown("/spec/provider")
