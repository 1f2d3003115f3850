package main

import (
	"errors"
	"fmt"
	"io"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	kubefake "helm.sh/helm/v4/pkg/kube/fake"
	release "helm.sh/helm/v4/pkg/release/v1"
	"helm.sh/helm/v4/pkg/storage"
	"helm.sh/helm/v4/pkg/storage/driver"
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
