package main

import (
	"bytes"
	"encoding/json"
	"sync"

	"sigs.k8s.io/kustomize/api/builtins"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/provider"
	"sigs.k8s.io/kustomize/api/resmap"
	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// The HelmRelease fields the post-renderers read (helm-controller api/v2
// PostRenderer, CommonMetadata; fluxcd/pkg/apis/kustomize Patch, Image).
type postRendererSpec struct {
	Kustomize *kustomizeSpec `json:"kustomize,omitempty"`
}

type kustomizeSpec struct {
	Patches []kustomizePatch `json:"patches,omitempty"`
	Images  []kustypes.Image `json:"images,omitempty"`
}

type kustomizePatch struct {
	Patch  string         `json:"patch"`
	Target *patchSelector `json:"target,omitempty"`
}

type patchSelector struct {
	Group              string `json:"group,omitempty"`
	Version            string `json:"version,omitempty"`
	Kind               string `json:"kind,omitempty"`
	Namespace          string `json:"namespace,omitempty"`
	Name               string `json:"name,omitempty"`
	AnnotationSelector string `json:"annotationSelector,omitempty"`
	LabelSelector      string `json:"labelSelector,omitempty"`
}

type commonMetadata struct {
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// patchMatch: how many objects spec.postRenderers[Renderer].kustomize.patches[Patch]
// selected (-1: not known, a patch kustomize reads some other way).
type patchMatch struct {
	Renderer int `json:"renderer"`
	Patch    int `json:"patch"`
	Matched  int `json:"matched"`
}

// fluxPostRenderer is helm-controller's post-renderer chain
// (internal/postrender/build.go of v1.6.3): each spec.postRenderers[].kustomize
// in order (patches and images, built by kustomize's API as a kustomization
// over the rendered output), then spec.commonMetadata, then the origin labels
// helm.toolkit.fluxcd.io/name and /namespace on every object. It also counts
// the objects each patch selects, which kustomize does not report.
type fluxPostRenderer struct {
	kustomize      []postRendererSpec
	commonMetadata *commonMetadata
	owner          owner
	matches        []patchMatch
	// failed: the error came from a post-renderer, not from Helm's templates.
	failed bool
}

// kustomize's builds are not safe to run concurrently (kustomize#3659).
var kustomizeMutex sync.Mutex

func (p *fluxPostRenderer) Run(in *bytes.Buffer) (*bytes.Buffer, error) {
	out := in
	var err error
	for i, r := range p.kustomize {
		if r.Kustomize == nil {
			continue
		}
		p.count(i, r.Kustomize.Patches, out.Bytes())
		if out, err = runKustomize(out, r.Kustomize); err != nil {
			p.failed = true
			return nil, err
		}
	}
	if c := p.commonMetadata; c != nil {
		var ts []resmap.Transformer
		if c.Labels != nil {
			ts = append(ts, labelTransformer(c.Labels))
		}
		if c.Annotations != nil {
			ts = append(ts, &builtins.AnnotationsTransformerPlugin{
				Annotations: c.Annotations,
				FieldSpecs:  []kustypes.FieldSpec{{Path: "metadata/annotations", CreateIfNotPresent: true}},
			})
		}
		if out, err = transform(out, ts...); err != nil {
			p.failed = true
			return nil, err
		}
	}
	// Last, so a commonMetadata label of the same key does not win.
	if out, err = transform(out, labelTransformer(originLabels(p.owner))); err != nil {
		p.failed = true
		return nil, err
	}
	return out, nil
}

func labelTransformer(labels map[string]string) resmap.Transformer {
	return &builtins.LabelTransformerPlugin{
		Labels:     labels,
		FieldSpecs: []kustypes.FieldSpec{{Path: "metadata/labels", CreateIfNotPresent: true}},
	}
}

func transform(in *bytes.Buffer, ts ...resmap.Transformer) (*bytes.Buffer, error) {
	if len(ts) == 0 {
		return in, nil
	}
	m, err := resmap.NewFactory(provider.NewDefaultDepProvider().GetResourceFactory()).NewResMapFromBytes(in.Bytes())
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if err := t.Transform(m); err != nil {
			return nil, err
		}
	}
	out, err := m.AsYaml()
	if err != nil {
		return nil, err
	}
	return bytes.NewBuffer(out), nil
}

// runKustomize builds, in memory, a kustomization of the rendered output with
// the post-renderer's patches and images (plugins disabled, no load restrictions).
func runKustomize(in *bytes.Buffer, spec *kustomizeSpec) (*bytes.Buffer, error) {
	fs := filesys.MakeFsInMemory()
	k := kustypes.Kustomization{Resources: []string{"helm-output.yaml"}, Images: spec.Images}
	k.APIVersion = kustypes.KustomizationVersion
	k.Kind = kustypes.KustomizationKind
	for _, p := range spec.Patches {
		k.Patches = append(k.Patches, kustypes.Patch{Patch: p.Patch, Target: selector(p.Target)})
	}
	data, err := json.Marshal(k)
	if err != nil {
		return nil, err
	}
	if err := fs.WriteFile("helm-output.yaml", in.Bytes()); err != nil {
		return nil, err
	}
	if err := fs.WriteFile("kustomization.yaml", data); err != nil {
		return nil, err
	}
	kustomizeMutex.Lock()
	defer kustomizeMutex.Unlock()
	m, err := krusty.MakeKustomizer(&krusty.Options{
		LoadRestrictions: kustypes.LoadRestrictionsNone,
		PluginConfig:     kustypes.DisabledPluginConfig(),
	}).Run(fs, ".")
	if err != nil {
		return nil, err
	}
	out, err := m.AsYaml()
	if err != nil {
		return nil, err
	}
	return bytes.NewBuffer(out), nil
}

func selector(s *patchSelector) *kustypes.Selector {
	if s == nil {
		return nil
	}
	out := &kustypes.Selector{LabelSelector: s.LabelSelector, AnnotationSelector: s.AnnotationSelector}
	out.Name, out.Namespace = s.Name, s.Namespace
	out.Group, out.Version, out.Kind = s.Group, s.Version, s.Kind
	return out
}

// count records how many objects of the input each patch selects: with a
// target, what kustomize's Select returns; without one, the objects whose id
// is the patch's own (a strategic merge patch names its target).
func (p *fluxPostRenderer) count(renderer int, patches []kustomizePatch, input []byte) {
	if len(patches) == 0 {
		return
	}
	rf := provider.NewDefaultDepProvider().GetResourceFactory()
	m, err := resmap.NewFactory(rf).NewResMapFromBytes(input)
	for j, patch := range patches {
		matched := -1
		switch {
		case err != nil:
		case patch.Target != nil:
			if selected, serr := m.Select(*selector(patch.Target)); serr == nil {
				matched = len(selected)
			}
		default:
			if own, perr := rf.SliceFromBytes([]byte(patch.Patch)); perr == nil && len(own) > 0 {
				matched = 0
				for _, r := range own {
					matched += len(m.GetMatchingResourcesByAnyId(r.OrgId().Equals))
				}
			}
		}
		p.matches = append(p.matches, patchMatch{Renderer: renderer, Patch: j, Matched: matched})
	}
}
