package fluxgate.policy.secret_encrypted_test

import data.fluxgate.policy.secret_encrypted as rule

ciphertext := "ENC[AES256_GCM,data:q5YbTv0Qxe9SVw==,iv:8Qb6S1yTLP1mTcyEFpqkuP0w6xt0wYpN9xIrmVdFbbU=,tag:6rM9bNFfWc1SRfH5uW6jRw==,type:str]"

sops_metadata := {
	"age": [{"recipient": "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p", "enc": "-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBh\n-----END AGE ENCRYPTED FILE-----\n"}],
	"lastmodified": "2025-03-01T10:00:00Z",
	"mac": "ENC[AES256_GCM,data:Zm9vYmFy,iv:aXY=,tag:dGFn,type:str]",
	"encrypted_regex": "^(data|stringData)$",
	"version": "3.9.4",
}

secret(fields) := object.union({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "apps"}, "type": "Opaque"}, fields)

paths(findings) := {f.path | some f in findings}

test_sops_encrypted_secret_passes if {
	count(rule.deny) == 0 with input as secret({"stringData": {"password": ciphertext}, "sops": sops_metadata})
	count(rule.deny) == 0 with input as secret({"data": {"password": ciphertext, "user": ciphertext}, "sops": sops_metadata})
}

test_plain_string_data_fails_without_printing_the_value if {
	findings := rule.deny with input as secret({"stringData": {"password": "not-a-real-password-CANARY"}})
	findings == {{
		"msg": "Secret apps/db has a plain-text value in stringData.password; encrypt the Secret with SOPS (Flux decrypts it when applying), or create it outside Git",
		"path": "/stringData/password",
		"rule_id": "policy/secret-encrypted",
	}}
	every f in findings {
		not contains(f.msg, "CANARY")
	}
}

test_plain_data_fails if {
	paths(rule.deny) == {"/data/token"} with input as secret({"data": {"token": base64.encode("s3cr3t"), "empty": ""}})
}

test_placeholders_pass if {
	count(rule.deny) == 0 with input as secret({"stringData": {"password": "${DB_PASSWORD}", "dsn": "${DB_USER}${DB_PASSWORD}"}})
	count(rule.deny) == 0 with input as secret({"data": {"password": "${DB_PASSWORD_B64}"}})
}

test_partial_placeholders_fail if {
	paths(rule.deny) == {"/stringData/url", "/stringData/withDefault"} with input as secret({"stringData": {
		"url": "postgres://app:${DB_PASSWORD}@db:5432/app",
		"withDefault": "${DB_PASSWORD:=changeme}",
	}})
}

test_substituted_values_are_judged_as_committed if {
	# Flux postBuild substituted ${DB_PASSWORD} before the checks ran
	obj := secret({"stringData": {"password": "value-from-substituteFrom", "url": "postgres://app:value@db"}})
	ctx := {"preSubstitution": {"/stringData/password": "${DB_PASSWORD}", "/stringData/url": "postgres://app:${DB_PASSWORD}@db"}}
	paths(rule.deny) == {"/stringData/url"} with input as obj with data.fluxgate.resource as ctx
}

test_generated_from_encrypted_sources_passes if {
	obj := secret({"data": {"password": base64.encode("hunter2")}})
	count(rule.deny) == 0 with input as obj with data.fluxgate.resource as {"generated": true, "generatedFromEncrypted": true}
	count(rule.deny) == 1 with input as obj with data.fluxgate.resource as {"generated": true, "generatedFromEncrypted": false}
}

test_secret_generator_over_encrypted_env_file_passes if {
	# kustomize secretGenerator `envs: [db.enc.env]`, the file encrypted with `sops -e`:
	# every line is a key, sops' metadata lines included
	obj := secret({"data": {
		"DB_PASSWORD": base64.encode(ciphertext),
		"sops_version": base64.encode("3.9.4"),
		"sops_lastmodified": base64.encode("2025-03-01T10:00:00Z"),
		"sops_age__list_0__map_recipient": base64.encode("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"),
		"sops_mac": base64.encode(ciphertext),
	}})
	count(rule.deny) == 0 with input as obj
}

test_secret_generator_over_encrypted_file_passes if {
	content := concat("\n", ["password: ENC[AES256_GCM,data:q5YbTv0Qxe9SVw==,iv:8Qb=,tag:6rM=,type:str]", "sops:", "    version: 3.9.4", ""])
	count(rule.deny) == 0 with input as secret({"data": {"config.yaml": base64.encode(content)}})
}

test_secret_generator_over_plain_literals_fails if {
	# secretGenerator literals are plain text in kustomization.yaml
	obj := secret({"metadata": {"name": "db-5tk7f8bm6t", "namespace": "apps"}, "data": {"password": base64.encode("hunter2")}})
	count(rule.deny) == 1 with input as obj with data.fluxgate.resource as {"generated": true, "generatedFromEncrypted": false}
}

test_sops_metadata_keys_beside_plain_ciphertext_pass if {
	count(rule.deny) == 0 with input as secret({"stringData": {"DB_PASSWORD": ciphertext, "sops_version": "3.9.4"}})
}

test_sops_metadata_keys_need_a_ciphertext_beside_them if {
	count(rule.deny) == 1 with input as secret({"data": {"sops_version": base64.encode("3.9.4")}})
}

test_service_account_token_without_data_passes if {
	obj := {
		"apiVersion": "v1",
		"kind": "Secret",
		"metadata": {"name": "ci-token", "namespace": "ci", "annotations": {"kubernetes.io/service-account.name": "ci"}},
		"type": "kubernetes.io/service-account-token",
	}
	count(rule.deny) == 0 with input as obj
	count(rule.deny) == 1 with input as object.union(obj, {"data": {"token": base64.encode("eyJhbGciOi")}})
}

test_public_material_passes if {
	obj := secret({"type": "kubernetes.io/tls", "data": {"tls.crt": base64.encode("-----BEGIN CERTIFICATE-----"), "ca.crt": base64.encode("-----BEGIN CERTIFICATE-----"), "tls.key": base64.encode("-----BEGIN PRIVATE KEY-----")}})
	paths(rule.deny) == {"/data/tls.key"} with input as obj
	git := secret({"stringData": {"known_hosts": "github.com ecdsa-sha2-nistp256 AAAA", "identity.pub": "ssh-ed25519 AAAA"}})
	count(rule.deny) == 0 with input as git
}

test_public_keys_option if {
	cfg := {"rules": {"policy/secret-encrypted": {"options": {"publicKeys": ["cosign.pub"]}}}}
	obj := secret({"stringData": {"cosign.pub": "-----BEGIN PUBLIC KEY-----", "tls.crt": "-----BEGIN CERTIFICATE-----"}})
	paths(rule.deny) == {"/stringData/tls.crt"} with input as obj with data.fluxgate.config as cfg
}

test_helm_values_secret_fails if {
	obj := secret({"stringData": {"values.yaml": "auth:\n  password: hunter2\n"}})
	paths(rule.deny) == {"/stringData/values.yaml"} with input as obj
}

test_plain_value_added_to_an_encrypted_file_fails if {
	obj := secret({"stringData": {"password": ciphertext, "apiKey": "added-later"}, "sops": sops_metadata})
	findings := rule.deny with input as obj
	paths(findings) == {"/stringData/apiKey"}
	every f in findings {
		contains(f.msg, "encrypt the file again")
	}
}

test_keys_sops_leaves_unencrypted_on_purpose_pass if {
	suffix := json.patch(sops_metadata, [{"op": "remove", "path": "/encrypted_regex"}, {"op": "add", "path": "/unencrypted_suffix", "value": "_unencrypted"}])
	count(rule.deny) == 0 with input as secret({"stringData": {"password": ciphertext, "host_unencrypted": "db.internal"}, "sops": suffix})
	only := json.patch(sops_metadata, [{"op": "replace", "path": "/encrypted_regex", "value": "^(password|token)$"}])
	count(rule.deny) == 0 with input as secret({"stringData": {"password": ciphertext, "host": "db.internal"}, "sops": only})
	count(rule.deny) == 1 with input as secret({"stringData": {"password": "oops", "host": "db.internal"}, "sops": only})
	unenc := json.patch(sops_metadata, [{"op": "remove", "path": "/encrypted_regex"}, {"op": "add", "path": "/unencrypted_regex", "value": "^host$"}])
	count(rule.deny) == 0 with input as secret({"stringData": {"password": ciphertext, "host": "db.internal"}, "sops": unenc})
	esuffix := json.patch(sops_metadata, [{"op": "remove", "path": "/encrypted_regex"}, {"op": "add", "path": "/encrypted_suffix", "value": "_secret"}])
	count(rule.deny) == 0 with input as secret({"stringData": {"password_secret": ciphertext, "host": "db.internal"}, "sops": esuffix})
}

test_other_kinds_pass if {
	sealed := {"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret", "metadata": {"name": "db"}, "spec": {"encryptedData": {"password": "AgBy3i4OJSWK+PiTySYZZA=="}}}
	count(rule.deny) == 0 with input as sealed
	external := {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "db"}, "spec": {"data": [{"secretKey": "password", "remoteRef": {"key": "db"}}]}}
	count(rule.deny) == 0 with input as external
	count(rule.deny) == 0 with input as {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"password": "x"}}
}

test_placeholder_from_an_unknown_source_passes if {
	# stringData.password: ${DB_PASSWORD} with DB_PASSWORD from a SOPS-encrypted Secret: Flux
	# substitution is text-based, so the rendered value is null
	ctx := {"file": "apps/db.yaml", "document": 0, "unknown": ["/stringData/password"], "preSubstitution": {"/stringData/password": "${DB_PASSWORD}"}}
	count(rule.deny) == 0 with input as secret({"stringData": {"password": null}}) with data.fluxgate.resource as ctx
	count(rule.deny) == 0 with input as secret({"stringData": {"password": "whatever"}}) with data.fluxgate.resource as ctx
}

test_secret_manager_references_pass if {
	count(rule.deny) == 0 with input as secret({"stringData": {
		"token": "op://operations/1password/OP_SERVICE_ACCOUNT_TOKEN",
		"id": "op://kubernetes/cloudflare/CLOUDFLARE_TUNNEL_ID\n",
		"spaces": "op://Automation/1password connect/credentials",
		"vals": "ref+vault://secret/data/app#/password",
		"avp": "<path:kv/data/app#password>",
	}})
	count(rule.deny) == 0 with input as secret({"data": {"token": base64.encode("op://vault/item/field")}})
}

test_text_around_a_reference_fails if {
	paths(rule.deny) == {"/stringData/url", "/stringData/plain"} with input as secret({"stringData": {
		"url": "postgres://app:op://vault/db/password@db",
		"plain": "op:// not a reference",
	}})
}

test_public_keys_and_certificates_pass_whatever_the_key if {
	keys := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake user@laptop\nno-pty,command=\"/bin/true\" ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDFake= deploy\n"
	count(rule.deny) == 0 with input as secret({"stringData": {"authorized_keys": keys}})
	count(rule.deny) == 0 with input as secret({"data": {"authorized_keys": base64.encode(keys)}})
	hosts := "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"
	count(rule.deny) == 0 with input as secret({"stringData": {"hosts": hosts}})
	pem := "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUFake\n-----END CERTIFICATE-----\n"
	count(rule.deny) == 0 with input as secret({"stringData": {"bundle.pem": pem}})
}

test_private_keys_and_mixed_values_still_fail if {
	private := "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABFake\n-----END OPENSSH PRIVATE KEY-----\n"
	paths(rule.deny) == {"/stringData/id_ed25519"} with input as secret({"stringData": {"id_ed25519": private}})
	mixed := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake user@laptop\npassword=hunter2\n"
	paths(rule.deny) == {"/stringData/config"} with input as secret({"stringData": {"config": mixed}})
}
