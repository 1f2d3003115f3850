# The examples embedded in the input schemas (policies/schemas) are valid against their
# schema and give the findings their documentation promises. OPA loads the schema files as
# data: repo-input.schema.json at data.schemas, the others at data.schemas.<directory>.
package fluxgate.schemas_test

import data.fluxgate.policy.helm_chart_pinned
import data.fluxgate.policy.separate_env_overlays

repo_schema := object.remove(data.schemas, ["cluster", "data"])

test_repo_input_example_matches_its_schema if {
	some example in repo_schema.examples
	[true, []] == json.match_schema(example, repo_schema)
}

test_repo_input_schema_rejects_a_bad_path if {
	example := json.patch(repo_schema.examples[0], [{"op": "replace", "path": "/directories/0/path", "value": "./apps"}])
	[false, _] = json.match_schema(example, repo_schema)
}

test_fluxgate_data_example_matches_its_schema if {
	some example in data.schemas.data.examples
	[true, []] == json.match_schema(example, data.schemas.data)
}

test_repo_input_example_findings if {
	example := repo_schema.examples[0]
	findings := separate_env_overlays.deny with input as example
	{[f.file, f.path, f.cluster] | some f in findings} == {
		["clusters/prod-aks/sandbox.yaml", "/spec/path", "prod-aks"],
		["apps/prod/kustomization.yaml", "/patches/0/path", null],
	}
	count(separate_env_overlays.warn) == 0 with input as example
}

test_cluster_input_example_findings if {
	example := data.schemas.cluster.examples[0]
	findings := helm_chart_pinned.deny with input as example
	{[f.index, f.path] | some f in findings} == {[1, "/spec/ref/tag"]}
}
