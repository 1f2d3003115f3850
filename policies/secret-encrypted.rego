# METADATA
# title: Secrets are encrypted
# description: A Secret committed to Git holds only SOPS ciphertext or Flux `${VAR}` placeholders; a plain-text value is readable by everyone with access to the repository.
# related_resources:
#   - ref: https://github.com/fluxgate-dev/fluxgate/blob/main/docs/rules/policy-secret-encrypted.md
#     description: rule documentation
#   - ref: https://fluxcd.io/flux/guides/mozilla-sops/
#     description: Manage Kubernetes secrets with SOPS (Flux guide)
#   - ref: https://fluxcd.io/flux/components/kustomize/kustomizations/#decryption
#     description: Kustomization decryption (also of secretGenerator sources)
# custom:
#   id: policy/secret-encrypted
#   severity: error
#   scope: resource
#   options:
#     type: object
#     additionalProperties: false
#     properties:
#       publicKeys:
#         type: array
#         default: [ca.crt, tls.crt, identity.pub, known_hosts]
#         description: keys that hold public material (certificates, public keys, host keys) and may stay in plain text
#         items:
#           type: string
package fluxgate.policy.secret_encrypted

import data.fluxgate.lib.config
import data.fluxgate.lib.context
import data.fluxgate.lib.kube
import data.fluxgate.lib.pointer

# The id from this package's METADATA, so it is written once.
rule_id := [id | some entry in rego.metadata.chain(); id := entry.annotations.custom.id][0]

public_keys := config.option(rule_id, "publicKeys", ["ca.crt", "tls.crt", "identity.pub", "known_hosts"])

# METADATA
# scope: document
# entrypoint: true
# custom:
#   severity: error
deny contains {"msg": msg, "path": pointer.from([section, key]), "rule_id": rule_id} if {
	kube.is(input, "", "Secret")
	not generated_from_encrypted
	some section in ["data", "stringData"]
	values := object.get(input, section, {})
	is_object(values)
	some key, value in values
	plain(section, key, value)
	msg := concat("", ["Secret ", kube.display(input), " has a plain-text value in ", section, ".", key, advice])
}

# The message names the key, never the value.
advice := "; it is not SOPS ciphertext although this file is SOPS-encrypted: encrypt the file again with sops" if {
	is_object(input.sops)
} else := "; encrypt the Secret with SOPS (Flux decrypts it when applying), or create it outside Git"

# Output of a kustomize secretGenerator whose sources are SOPS-encrypted files: Flux decrypts
# the sources before the build. The engine knows the sources; see ../README.md.
generated_from_encrypted if data.fluxgate.resource.generatedFromEncrypted == true

plain(section, key, value) if {
	is_string(value)
	value != ""
	not key in public_keys
	not sops_ciphertext(value)
	not kube.placeholder(context.committed(pointer.from([section, key]), value))
	not encrypted_content(section, value)
	not secret_reference(section, value)
	not public_material(section, value)
	not sops_generator_metadata(key)
	not deliberately_unencrypted(section, key)
}

# https://github.com/getsops/sops/blob/main/aes/cipher.go (ENC[AES256_GCM,data:...,iv:...,tag:...,type:...])
sops_ciphertext(value) if regex.match(`^ENC\[[A-Z0-9_]+,data:[^\]]*\]$`, trim_space(value))

# A reference that a secret manager resolves before the Secret reaches the cluster, never the
# secret itself: 1Password (`op://vault/item/field`, for `op inject` / `op run`), vals
# (`ref+vault://...`, `ref+awssecrets://...`), argocd-vault-plugin (`<path:kv/data/app#key>`).
secret_reference("stringData", value) if reference(trim_space(value))

secret_reference("data", value) if reference(trim_space(base64.decode(value)))

# Vault and item names may hold spaces (`op://Automation/1password connect/token`).
reference(text) if regex.match(`^op://[^/\n]+/[^/\n]+(/[^/\n]+)+$`, text)

reference(text) if regex.match(`^ref\+[a-z0-9]+://\S+$`, text)

reference(text) if regex.match(`^<path:[^<>\s]+>$`, text)

# Public material only, whatever the key is called: SSH public keys (authorized_keys lines, with
# options, and known_hosts lines), PEM certificates and public keys, PGP public key blocks.
# Nothing in them is secret (an `authorized_keys` Secret for a dev container is one).
public_material("stringData", value) if public_text(value)

public_material("data", value) if public_text(base64.decode(value))

# PEM blocks of public material only (whitespace around them).
public_text(text) if regex.match(`^\s*(-----BEGIN (CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|EC PUBLIC KEY|PGP PUBLIC KEY BLOCK)-----[^-]*-----END (CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|EC PUBLIC KEY|PGP PUBLIC KEY BLOCK)-----\s*)+$`, text)

# SSH public keys only, one per line (comments and blank lines aside).
public_text(text) if {
	lines := [l | some raw in split(text, "\n"); l := trim_space(raw); l != ""; not startswith(l, "#")]
	count(lines) > 0
	every l in lines {
		ssh_public_key_line(l)
	}
}

# https://man.openbsd.org/sshd.8#AUTHORIZED_KEYS_FILE_FORMAT: [options] keytype base64 [comment];
# known_hosts: [@marker] hostnames keytype base64 [comment].
ssh_public_key_line(line) if regex.match(`^(.*\s)?(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)(-cert-v01@openssh\.com)?\s+AAAA[0-9A-Za-z+/]+=*(\s.*)?$`, line)

# A data value whose decoded content is SOPS-encrypted (a secretGenerator file or .env
# encrypted with sops, when the engine could not tell).
encrypted_content("data", value) if contains(base64.decode(value), "ENC[AES256_GCM,data:")

# A secretGenerator over a SOPS-encrypted .env file also turns sops' own metadata lines
# (sops_version=..., sops_mac=...) into keys; they are not secrets.
sops_generator_metadata(key) if {
	startswith(key, "sops_")
	some section in ["data", "stringData"]
	some k, v in object.get(input, section, {})
	k != key
	is_string(v)
	encrypted_value(section, v)
}

encrypted_value(_, v) if sops_ciphertext(v)

encrypted_value(section, v) if encrypted_content(section, v)

# Keys that the file's own sops rules leave in plain text on purpose.
# https://getsops.io/docs/#encrypting-only-parts-of-a-file
deliberately_unencrypted(section, key) if {
	suffix := input.sops.unencrypted_suffix
	suffix != ""
	some k in [section, key]
	endswith(k, suffix)
}

deliberately_unencrypted(section, key) if {
	suffix := input.sops.encrypted_suffix
	suffix != ""
	not endswith(section, suffix)
	not endswith(key, suffix)
}

deliberately_unencrypted(section, key) if {
	pattern := input.sops.unencrypted_regex
	pattern != ""
	some k in [section, key]
	regex.match(pattern, k)
}

deliberately_unencrypted(section, key) if {
	pattern := input.sops.encrypted_regex
	pattern != ""
	not regex.match(pattern, section)
	not regex.match(pattern, key)
}
