package fluxgate.policy.git_source_auth_test

import data.fluxgate.policy.git_source_auth as rule

source(spec) := {
	"apiVersion": "source.toolkit.fluxcd.io/v1",
	"kind": "GitRepository",
	"metadata": {"name": "platform-charts", "namespace": "flux-system"},
	"spec": object.union({"interval": "10m", "ref": {"branch": "main"}}, spec),
}

msgs(findings) := {f.msg | some f in findings}

# The GitRepository `flux bootstrap` writes.
test_bootstrap_ssh_source_passes if {
	obj := source({"url": "ssh://git@ssh.dev.azure.com/v3/contoso/platform/fleet", "secretRef": {"name": "flux-system"}})
	count(rule.deny) == 0 with input as obj
	count(rule.warn) == 0 with input as obj
}

test_https_with_secret_ref_passes if {
	obj := source({"url": "https://github.com/contoso/fleet", "secretRef": {"name": "github-token"}})
	count(rule.deny) == 0 with input as obj
	count(rule.warn) == 0 with input as obj
}

test_azure_devops_user_in_url_with_workload_identity_passes if {
	obj := source({"url": "https://contoso@dev.azure.com/contoso/platform/_git/fleet", "provider": "azure"})
	count(rule.deny) == 0 with input as obj
	count(rule.warn) == 0 with input as obj
}

test_credentials_in_url_fail if {
	obj := source({"url": "https://flux:not-a-real-token@dev.azure.com/contoso/platform/_git/charts"})
	rule.deny == {{
		"msg": "GitRepository flux-system/platform-charts has credentials in spec.url; put them in a Secret and reference it with spec.secretRef",
		"path": "/spec/url",
		"rule_id": "policy/git-source-auth",
	}} with input as obj
	findings := rule.deny with input as obj
	every f in findings {
		not contains(f.msg, "not-a-real-token")
	}

	# no additional warning about the missing secretRef
	count(rule.warn) == 0 with input as obj
}

test_token_as_user_name_fails if {
	count(rule.deny) == 1 with input as source({"url": "https://ghp_0123456789abcdefABCDEF0123456789abcd@github.com/contoso/fleet"})
	count(rule.deny) == 1 with input as source({"url": "https://glpat-xxxxxxxxxxxxxxxxxxxx@gitlab.com/contoso/fleet"})
}

test_ssh_password_fails if count(rule.deny) == 1 with input as source({"url": "ssh://git:hunter2@git.example.com/fleet", "secretRef": {"name": "ssh"}})

test_plain_http_fails if {
	obj := source({"url": "http://git.example.com/contoso/fleet.git", "secretRef": {"name": "basic-auth"}})
	[f] := [f | some f in rule.deny] with input as obj
	contains(f.msg, "plain http://")
	count(rule.warn) == 0 with input as source({"url": "http://git.example.com/contoso/fleet.git"})
}

test_allow_http_hosts_option if {
	cfg := {"rules": {"policy/git-source-auth": {"options": {"allowHttpHosts": ["gitea-http.gitea.svc.cluster.local"]}}}}
	obj := source({"url": "http://gitea-http.gitea.svc.cluster.local:3000/platform/fleet.git"})
	count(rule.deny) == 0 with input as obj with data.fluxgate.config as cfg
	count(rule.deny) == 1 with input as obj
}

test_ssh_without_secret_ref_fails if {
	[f] := [f | some f in rule.deny] with input as source({"url": "ssh://git@github.com/contoso/fleet"})
	contains(f.msg, "without spec.secretRef")
}

test_public_https_warns if {
	obj := source({"url": "https://github.com/stefanprodan/podinfo"})
	count(rule.deny) == 0 with input as obj
	rule.warn == {{
		"msg": "GitRepository flux-system/platform-charts has neither spec.secretRef nor spec.provider, so it only works while the repository is public; add credentials, or set the option allowPublic if that is intended",
		"path": "/spec/url",
		"rule_id": "policy/git-source-auth",
	}} with input as obj
	count(rule.warn) == 1 with input as source({"url": "https://github.com/stefanprodan/podinfo", "provider": "generic"})
}

test_allow_public_option if {
	cfg := {"rules": {"policy/git-source-auth": {"options": {"allowPublic": true}}}}
	count(rule.warn) == 0 with input as source({"url": "https://github.com/stefanprodan/podinfo"}) with data.fluxgate.config as cfg
}

test_unsubstituted_url_has_no_verdict if {
	obj := source({"url": "${GIT_URL}"})
	count(rule.deny) == 0 with input as obj
	count(rule.warn) == 0 with input as obj
}

test_other_kinds_are_ignored if {
	helm := {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository", "metadata": {"name": "x"}, "spec": {"url": "http://charts.example.com"}}
	count(rule.deny) == 0 with input as helm
	count(rule.warn) == 0 with input as helm
}

test_values_from_unknown_variables_have_no_verdict if {
	ctx := {"file": "clusters/prod/sources.yaml", "document": 0, "unknown": ["/spec/url"]}
	count(rule.deny) == 0 with input as source({"url": "http://"}) with data.fluxgate.resource as ctx
	secret := {"file": "clusters/prod/sources.yaml", "document": 0, "unknown": ["/spec/secretRef/name"]}
	count(rule.warn) == 0 with input as source({"url": "https://github.com/org/repo", "secretRef": {"name": null}}) with data.fluxgate.resource as secret
	count(rule.warn) == 1 with input as source({"url": "https://github.com/org/repo", "secretRef": {"name": null}})
}
