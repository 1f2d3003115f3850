package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	kubefake "helm.sh/helm/v4/pkg/kube/fake"
	release "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	"helm.sh/helm/v4/pkg/storage"
	"helm.sh/helm/v4/pkg/storage/driver"
	"sigs.k8s.io/yaml"
)

// renderRequest is one HelmRelease, resolved by the caller as helm-controller
// resolves it before calling Helm: the chart source-controller built, the
// values of spec.valuesFrom in order, spec.values, and the release fields.
type renderRequest struct {
	// Chart is a chart directory or a packaged chart (.tgz).
	Chart string `json:"chart"`
	// SourceRoot confines what a chart directory reads (file:// dependencies,
	// valuesFiles), as source-controller confines it to the artifact.
	SourceRoot string `json:"sourceRoot,omitempty"`
	chartSource
	// ValuesFrom holds the data of spec.valuesFrom, in order.
	ValuesFrom []valuesReference `json:"valuesFrom,omitempty"`
	// Values is spec.values.
	Values map[string]any `json:"values,omitempty"`
	// ReleaseName (GetReleaseName, shortened) and Namespace (GetReleaseNamespace).
	ReleaseName string `json:"releaseName"`
	Namespace   string `json:"namespace"`
	// Owner is the HelmRelease (its origin labels).
	Owner owner `json:"owner"`
	// KubeVersion and APIVersions are the cluster's capabilities.
	KubeVersion string   `json:"kubeVersion,omitempty"`
	APIVersions []string `json:"apiVersions,omitempty"`
	// CRDs is the install CRD policy: Skip, Create (default) or CreateReplace.
	CRDs                    string             `json:"crds,omitempty"`
	PostRenderers           []postRendererSpec `json:"postRenderers,omitempty"`
	CommonMetadata          *commonMetadata    `json:"commonMetadata,omitempty"`
	PostRenderStrategy      string             `json:"postRenderStrategy,omitempty"`
	DisableSchemaValidation bool               `json:"disableSchemaValidation,omitempty"`
	DisableHooks            bool               `json:"disableHooks,omitempty"`
	// Tests: spec.test.enable, so test hooks are run (and applied).
	Tests bool `json:"tests,omitempty"`
	// Network lets values.schema.json load http(s) $refs, as Helm does.
	Network bool `json:"network,omitempty"`
}

type owner struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
}

type renderResponse struct {
	ID      int              `json:"id"`
	Chart   *chartInfo       `json:"chart,omitempty"`
	Objects []renderedObject `json:"objects,omitempty"`
	// SchemaErrors: the values do not meet values.schema.json (no objects).
	SchemaErrors []schemaError `json:"schemaErrors,omitempty"`
	// Patches: how many objects each post-renderer patch selected.
	Patches []patchMatch `json:"patches,omitempty"`
	// Error is Helm's (or the post-renderer's) message; Stage says where.
	Error string `json:"error,omitempty"`
	Stage string `json:"stage,omitempty"`
	// ValuesFrom is the index of the valuesFrom entry that failed to merge.
	ValuesFrom *int `json:"valuesFrom,omitempty"`
	// Dependencies a chart directory needs from chart repositories (stage "dependencies").
	Dependencies []dependency `json:"dependencies,omitempty"`
}

type chartInfo struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	APIVersion string `json:"apiVersion"`
}

// renderedObject is one object of the release: a manifest, a hook or a CRD
// of the chart's crds/ directory, with the template that produced it.
type renderedObject struct {
	Template string         `json:"template"`
	Hook     string         `json:"hook,omitempty"`
	CRD      bool           `json:"crd,omitempty"`
	Object   map[string]any `json:"object"`
}

// Helm's own markers (pkg/action/validate.go): added to every object of the
// release when it is installed (setMetadataVisitor), hooks excepted.
const (
	managedByLabel        = "app.kubernetes.io/managed-by"
	releaseNameAnnotation = "meta.helm.sh/release-name"
	releaseNsAnnotation   = "meta.helm.sh/release-namespace"
	fluxGroup             = "helm.toolkit.fluxcd.io"
)

func failed(stage string, err error) renderResponse {
	return renderResponse{Stage: stage, Error: err.Error()}
}

func render(req renderRequest) renderResponse {
	values, err := mergeValues(req.Values, req.ValuesFrom)
	if err != nil {
		var ve *valuesError
		if errors.As(err, &ve) {
			res := failed("values", ve.err)
			res.ValuesFrom = &ve.index
			return res
		}
		return failed("values", err)
	}
	ch, err := loadChart(req.Chart, req.SourceRoot, req.chartSource)
	var missing missingDependencies
	if errors.As(err, &missing) {
		res := failed("dependencies", err)
		res.Dependencies = missing
		return res
	}
	if err != nil {
		return failed("chart", err)
	}
	info := &chartInfo{Name: ch.Name(), Version: ch.Metadata.Version, APIVersion: ch.Metadata.APIVersion}

	// helm-controller leaves schema validation to Helm (install.SkipSchemaValidation
	// = spec.install.disableSchemaValidation); it is done here with the same
	// library on the same coalesced values, to report each violation at its path
	// and without network unless allowed.
	if !req.DisableSchemaValidation {
		copyOf, err := loadChart(req.Chart, req.SourceRoot, req.chartSource)
		if err != nil {
			return failed("chart", err)
		}
		problems, err := validateValues(copyOf, values, req.Network)
		if err != nil {
			return renderResponse{Chart: info, Stage: "schema", Error: err.Error()}
		}
		if len(problems) > 0 {
			return renderResponse{Chart: info, SchemaErrors: problems}
		}
	}

	post := &fluxPostRenderer{
		kustomize:      req.PostRenderers,
		commonMetadata: req.CommonMetadata,
		owner:          req.Owner,
	}
	install, err := newInstall(req, post)
	if err != nil {
		return renderResponse{Chart: info, Stage: "render", Error: err.Error()}
	}
	rel, err := runInstall(install, ch, values)
	if err != nil {
		res := renderResponse{Chart: info, Stage: "render", Error: err.Error(), Patches: post.matches}
		if post.failed {
			res.Stage = "post-render"
		}
		return res
	}
	objects, err := releaseObjects(rel, req)
	if err != nil {
		return renderResponse{Chart: info, Stage: "render", Error: err.Error(), Patches: post.matches}
	}
	if crdPolicy(req.CRDs) != "Skip" {
		crds, err := chartCRDs(ch, req.Owner)
		if err != nil {
			return renderResponse{Chart: info, Stage: "render", Error: err.Error(), Patches: post.matches}
		}
		objects = append(objects, crds...)
	}
	return renderResponse{Chart: info, Objects: objects, Patches: post.matches}
}

func crdPolicy(p string) string {
	if p == "" {
		return "Create"
	}
	return p
}

// newInstall is helm-controller's install action (internal/action/install.go)
// as `helm template` runs it: a client-side dry run with the cluster's
// capabilities instead of a connection.
func newInstall(req renderRequest, post *fluxPostRenderer) (*action.Install, error) {
	switch crdPolicy(req.CRDs) {
	case "Skip", "Create", "CreateReplace":
	default:
		return nil, fmt.Errorf("invalid CRD policy '%s', valid values are 'Skip', 'Create' or 'CreateReplace'", req.CRDs)
	}
	cfg := action.NewConfiguration()
	cfg.KubeClient = &kubefake.PrintingKubeClient{Out: io.Discard}
	mem := driver.NewMemory()
	mem.SetNamespace(req.Namespace)
	cfg.Releases = storage.Init(mem)

	install := action.NewInstall(cfg)
	install.DryRunStrategy = action.DryRunClient
	install.ReleaseName = req.ReleaseName
	install.Namespace = req.Namespace
	install.Devel = true
	// helm-controller applies the crds/ directory itself, by policy (chartCRDs).
	install.SkipCRDs = true
	install.DisableHooks = req.DisableHooks
	install.SkipSchemaValidation = true
	install.PostRenderer = post
	if req.PostRenderStrategy != "" {
		install.PostRenderStrategy = action.PostRenderStrategy(req.PostRenderStrategy)
	} else {
		install.PostRenderStrategy = action.PostRenderStrategyCombined
	}
	if req.KubeVersion != "" {
		kv, err := common.ParseKubeVersion(req.KubeVersion)
		if err != nil {
			return nil, fmt.Errorf("kubernetes version %q: %w", req.KubeVersion, err)
		}
		install.KubeVersion = kv
	}
	install.APIVersions = req.APIVersions
	return install, nil
}

func runInstall(install *action.Install, ch *chart.Chart, values map[string]any) (*release.Release, error) {
	out, err := install.Run(ch, values)
	if err != nil {
		return nil, err
	}
	rel, ok := out.(*release.Release)
	if !ok {
		return nil, fmt.Errorf("only the Chart API v2 is supported")
	}
	return rel, nil
}

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
