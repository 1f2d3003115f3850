package fluxgate.lib.config_test

import data.fluxgate.lib.config

test_options_default_to_empty if {
	config.options("policy/x") == {}
	config.option("policy/x", "a", 7) == 7
}

test_options_from_object_setting if {
	cfg := {"rules": {"policy/x": {"severity": "warning", "options": {"a": 1}}}}
	config.option("policy/x", "a", 7) == 1 with data.fluxgate.config as cfg
	config.option("policy/x", "b", 7) == 7 with data.fluxgate.config as cfg
}

test_severity_only_setting_has_no_options if {
	config.options("policy/x") == {} with data.fluxgate.config as {"rules": {"policy/x": "warning"}}
}

test_false_option_is_kept if {
	config.option("policy/x", "a", true) == false with data.fluxgate.config as {"rules": {"policy/x": {"options": {"a": false}}}}
}

test_tenancy if {
	config.tenancy == "single"
	config.tenancy == "multi" with data.fluxgate.config as {"tenancy": "multi"}
}
