package main

import (
	"os"
	"path/filepath"
	"strings"

	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/registry"
	repo "helm.sh/helm/v4/pkg/repo/v1"
)

// packageChart is `helm package DIR -d OUT`.
func packageChart(dir, out string) (string, error) {
	ch, err := loader.LoadDir(dir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	return chartutil.Save(ch, out)
}

// indexDirectory is `helm repo index DIR --url URL`.
func indexDirectory(dir, url string) error {
	idx, err := repo.IndexDirectory(dir, url)
	if err != nil {
		return err
	}
	idx.SortEntries()
	return idx.WriteFile(filepath.Join(dir, "index.yaml"), 0o644)
}

// pushChart is `helm push ARCHIVE oci://REPO --plain-http`: the chart is
// stored as REPO/<name>:<version>; prints the manifest digest.
func pushChart(archive, repository string) (string, error) {
	data, err := os.ReadFile(archive)
	if err != nil {
		return "", err
	}
	ch, err := loader.LoadArchive(strings.NewReader(string(data)))
	if err != nil {
		return "", err
	}
	rc, err := registry.NewClient(registry.ClientOptPlainHTTP())
	if err != nil {
		return "", err
	}
	ref := strings.TrimSuffix(strings.TrimPrefix(repository, "oci://"), "/") + "/" + ch.Name() + ":" +
		strings.ReplaceAll(ch.Metadata.Version, "+", "_")
	res, err := rc.Push(data, ref, registry.PushOptStrictMode(true))
	if err != nil {
		return "", err
	}
	return res.Manifest.Digest, nil
}
