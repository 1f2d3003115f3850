package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/Masterminds/semver/v3"
	securejoin "github.com/cyphar/filepath-securejoin"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"sigs.k8s.io/yaml"
)

// chartSource is what source-controller does to a chart before helm-controller
// gets it (internal/helm/chart/builder_local.go, builder_remote.go,
// dependency_manager.go of source-controller v1.9.4).
type chartSource struct {
	// ValuesFiles (chart.spec.valuesFiles) replace the chart's default values,
	// merged in order: relative to SourceRoot for a chart directory of a
	// source, files of the chart for a packaged chart.
	ValuesFiles              []string `json:"valuesFiles,omitempty"`
	IgnoreMissingValuesFiles bool     `json:"ignoreMissingValuesFiles,omitempty"`
	// Dependencies are archives of Chart.yaml dependencies from chart
	// repositories, by name (or alias), fetched by the caller.
	Dependencies map[string]string `json:"dependencies,omitempty"`
}

// dependency is a Chart.yaml dependency from a chart repository that a chart
// directory does not vendor in charts/: the caller fetches it and asks again.
type dependency struct {
	Name       string `json:"name"`
	Alias      string `json:"alias,omitempty"`
	Repository string `json:"repository"`
	Version    string `json:"version"`
}

type missingDependencies []dependency

func (e missingDependencies) Error() string {
	names := make([]string, 0, len(e))
	for _, d := range e {
		names = append(names, fmt.Sprintf("'%s' (%s, version '%s')", d.Name, d.Repository, d.Version))
	}
	return "chart dependencies not available: " + strings.Join(names, ", ")
}

func loadChart(path, root string, src chartSource) (*chart.Chart, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	ch, err := loader.Load(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		if root == "" {
			root = filepath.Dir(path)
		}
		if err := addDependencies(ch, path, root, src.Dependencies); err != nil {
			return nil, err
		}
	}
	if len(src.ValuesFiles) > 0 {
		var values map[string]any
		if info.IsDir() {
			values, err = fileValues(root, src.ValuesFiles, src.IgnoreMissingValuesFiles)
		} else {
			values, err = chartFileValues(ch, src.ValuesFiles, src.IgnoreMissingValuesFiles)
		}
		if err != nil {
			return nil, err
		}
		ch.Values = values
	}
	return ch, nil
}

// addDependencies adds the Chart.yaml (Chart.lock first) dependencies missing
// from charts/: a local one (no repository, or file://) loaded from its
// directory inside root, checked against the version constraint; one from a
// chart repository from the archive the caller fetched.
func addDependencies(ch *chart.Chart, dir, root string, fetched map[string]string) error {
	reqs := ch.Metadata.Dependencies
	if ch.Lock != nil {
		reqs = ch.Lock.Dependencies
	}
	if len(ch.Dependencies()) == len(reqs) {
		return nil
	}
	have := map[string]bool{}
	for _, d := range ch.Dependencies() {
		have[d.Name()] = true
	}
	var missing missingDependencies
	for _, dep := range reqs {
		name := dep.Name
		if dep.Alias != "" {
			name = dep.Alias
		}
		if have[name] {
			continue
		}
		var sub *chart.Chart
		var err error
		if dep.Repository == "" || strings.HasPrefix(dep.Repository, "file://") {
			sub, err = localDependency(dir, root, dep)
		} else if file, ok := fetched[name]; ok {
			sub, err = loader.Load(file)
		} else {
			missing = append(missing, dependency{Name: dep.Name, Alias: dep.Alias, Repository: dep.Repository, Version: dep.Version})
			continue
		}
		if err != nil {
			return fmt.Errorf("failed to add dependency '%s': %w", name, err)
		}
		if dep.Alias != "" {
			sub.Metadata.Name = dep.Alias
		}
		ch.AddDependency(sub)
		have[name] = true
	}
	if len(missing) > 0 {
		return missing
	}
	return nil
}

func localDependency(dir, root string, dep *chart.Dependency) (*chart.Chart, error) {
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return nil, err
	}
	var target string
	if dep.Repository == "" {
		target, err = securejoin.SecureJoin(root, filepath.Join(rel, "charts", dep.Name))
	} else {
		u, perr := url.Parse(dep.Repository)
		if perr != nil {
			return nil, fmt.Errorf("failed to parse alleged local chart reference: %w", perr)
		}
		target, err = securejoin.SecureJoin(root, filepath.Join(rel, u.Host, u.Path))
	}
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(target); err != nil {
		return nil, fmt.Errorf("no chart found at '%s' (reference '%s')", strings.TrimPrefix(target, root), dep.Repository)
	}
	constraint, err := semver.NewConstraint(dep.Version)
	if err != nil {
		return nil, fmt.Errorf("invalid version/constraint format '%s': %w", dep.Version, err)
	}
	sub, err := loader.Load(target)
	if err != nil {
		return nil, err
	}
	v, err := semver.NewVersion(sub.Metadata.Version)
	if err != nil {
		return nil, err
	}
	if !constraint.Check(v) {
		return nil, fmt.Errorf("can't get a valid version for constraint '%s'", dep.Version)
	}
	return sub, nil
}

func fileValues(root string, paths []string, ignoreMissing bool) (map[string]any, error) {
	merged := map[string]any{}
	for _, p := range paths {
		file, err := securejoin.SecureJoin(root, p)
		if err != nil {
			return nil, err
		}
		info, err := os.Stat(file)
		if err != nil && ignoreMissing && os.IsNotExist(err) {
			continue
		}
		if err != nil || !info.Mode().IsRegular() {
			return nil, fmt.Errorf("no values file found at path '%s' (reference '%s')", strings.TrimPrefix(file, root), p)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("could not read values from file '%s': %w", p, err)
		}
		values := map[string]any{}
		if err := yaml.Unmarshal(data, &values); err != nil {
			return nil, fmt.Errorf("unmarshaling values from '%s' failed: %w", p, err)
		}
		merged = loader.MergeMaps(merged, values)
	}
	return merged, nil
}

func chartFileValues(ch *chart.Chart, paths []string, ignoreMissing bool) (map[string]any, error) {
	merged := map[string]any{}
	for _, p := range paths {
		name := filepath.Clean(p)
		if name == "values.yaml" {
			merged = loader.MergeMaps(merged, ch.Values)
			continue
		}
		var data []byte
		for _, f := range ch.Files {
			if f.Name == name {
				data = f.Data
				break
			}
		}
		if data == nil {
			if ignoreMissing {
				continue
			}
			return nil, fmt.Errorf("no values file found at path '%s'", p)
		}
		values := map[string]any{}
		if err := yaml.Unmarshal(data, &values); err != nil {
			return nil, fmt.Errorf("unmarshaling values from '%s' failed: %w", p, err)
		}
		merged = loader.MergeMaps(merged, values)
	}
	return merged, nil
}
