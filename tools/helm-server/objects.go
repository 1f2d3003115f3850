package main

import (
	"fmt"
	"sort"
	"strings"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	release "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	"sigs.k8s.io/yaml"
)

// releaseObjects: the release manifest in install order (with the labels and
// annotations Helm sets when it creates them), then its hooks.
func releaseObjects(rel *release.Release, req renderRequest) ([]renderedObject, error) {
	var objects []renderedObject
	for _, section := range manifestSections(rel.Manifest) {
		docs, err := splitObjects(section.content)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", section.source, err)
		}
		for _, obj := range docs {
			mergeStrings(obj, "labels", map[string]string{managedByLabel: "Helm"})
			mergeStrings(obj, "annotations", map[string]string{
				releaseNameAnnotation: rel.Name,
				releaseNsAnnotation:   rel.Namespace,
			})
			objects = append(objects, renderedObject{Template: section.source, Object: obj})
		}
	}
	if req.DisableHooks {
		return objects, nil
	}
	for _, hook := range rel.Hooks {
		events := make([]string, 0, len(hook.Events))
		test := false
		for _, e := range hook.Events {
			events = append(events, string(e))
			test = test || e == release.HookTest
		}
		if test && !req.Tests {
			continue
		}
		docs, err := splitObjects(hook.Manifest)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", hook.Path, err)
		}
		for _, obj := range docs {
			objects = append(objects, renderedObject{Template: hook.Path, Hook: strings.Join(events, ","), Object: obj})
		}
	}
	return objects, nil
}

type section struct{ source, content string }

// manifestSections splits a release manifest ("---\n# Source: PATH\n...") by template.
func manifestSections(manifest string) []section {
	var out []section
	for _, part := range strings.Split("\n"+manifest, "\n---\n# Source: ") {
		source, content, ok := strings.Cut(part, "\n")
		if !ok || strings.TrimSpace(source) == "" {
			continue
		}
		out = append(out, section{source: strings.TrimSpace(source), content: content})
	}
	return out
}

// splitObjects parses the YAML documents of one template as the Kubernetes
// client reads them (YAML to JSON), skipping empty ones.
func splitObjects(text string) ([]map[string]any, error) {
	split := releaseutil.SplitManifests(text)
	keys := make([]string, 0, len(split))
	for k := range split {
		keys = append(keys, k)
	}
	sort.Sort(releaseutil.BySplitManifestsOrder(keys))
	var out []map[string]any
	for _, k := range keys {
		doc := split[k]
		if strings.TrimSpace(doc) == "" {
			continue
		}
		var obj map[string]any
		if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
			return nil, err
		}
		if len(obj) == 0 {
			continue
		}
		out = append(out, obj)
	}
	return out, nil
}

// chartCRDs: the CustomResourceDefinitions of the chart's (and enabled
// subcharts') crds/ directories, with helm-controller's origin labels
// (internal/action/crds.go); other kinds there are ignored, as it ignores them.
func chartCRDs(ch *chart.Chart, o owner) ([]renderedObject, error) {
	var out []renderedObject
	for _, crd := range ch.CRDObjects() {
		docs, err := splitObjects(string(crd.File.Data))
		if err != nil {
			return nil, fmt.Errorf("failed to parse CustomResourceDefinitions from %s: %w", crd.Name, err)
		}
		for _, obj := range docs {
			api, _ := obj["apiVersion"].(string)
			if kind, _ := obj["kind"].(string); kind != "CustomResourceDefinition" || !strings.HasPrefix(api, "apiextensions.k8s.io/") {
				continue
			}
			mergeStrings(obj, "labels", originLabels(o))
			out = append(out, renderedObject{Template: crd.Filename, CRD: true, Object: obj})
		}
	}
	return out, nil
}

func originLabels(o owner) map[string]string {
	return map[string]string{fluxGroup + "/name": o.Name, fluxGroup + "/namespace": o.Namespace}
}

// mergeStrings sets metadata.<field>[k] = v for each pair, over what is there.
func mergeStrings(obj map[string]any, field string, set map[string]string) {
	meta, _ := obj["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		obj["metadata"] = meta
	}
	m, _ := meta[field].(map[string]any)
	if m == nil {
		m = map[string]any{}
		meta[field] = m
	}
	for k, v := range set {
		m[k] = v
	}
}
