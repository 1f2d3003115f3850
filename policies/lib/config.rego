# Rule options and other settings from `.fluxgate.yaml`, as the engine passes it in
# `data.fluxgate.config` (see ../README.md). A rule setting is either a severity string
# (`policy/x: warning`) or an object with `severity` and `options`; only the object form
# carries options.
package fluxgate.lib.config

# options(rule_id) is the `options` object configured for the rule, {} when none.
options(rule_id) := opts if {
	setting := data.fluxgate.config.rules[rule_id]
	is_object(setting)
	opts := object.get(setting, "options", {})
	is_object(opts)
} else := {}

# option(rule_id, key, fallback) is one option, or fallback when it is not configured.
option(rule_id, key, fallback) := object.get(options(rule_id), key, fallback)

# tenancy is "single" (the default) or "multi".
default tenancy := "single"

tenancy := data.fluxgate.config.tenancy
