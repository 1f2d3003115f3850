package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"helm.sh/helm/v4/pkg/registry"
	repo "helm.sh/helm/v4/pkg/repo/v1"
	"oras.land/oras-go/v2/registry/remote/auth"
)

// pullRequest fetches one chart into the content-addressed chart cache, as
// source-controller would for a HelmChart: from a HelmRepository's index
// (HTTP) or an OCI registry, the newest version matching the constraint.
type pullRequest struct {
	// Repository is the HelmRepository URL (https://..., oci://host/path), or
	// for an OCIRepository the full chart reference (oci://host/path/chart).
	Repository string `json:"repository"`
	// Chart is the chart name ("" when Repository names the chart).
	Chart string `json:"chart"`
	// Version is a version or a semver constraint ("" = "*"); Digest pins an OCI manifest.
	Version string `json:"version"`
	Digest  string `json:"digest,omitempty"`
	// Insecure: plain HTTP to the registry (HelmRepository/OCIRepository spec.insecure).
	Insecure bool `json:"insecure,omitempty"`
	// CacheDir receives the archive as sha256/<hex>.tgz.
	CacheDir       string `json:"cacheDir"`
	TimeoutSeconds int    `json:"timeoutSeconds,omitempty"`
}

type pullResponse struct {
	ID      int    `json:"id"`
	Version string `json:"version,omitempty"`
	// Digest is sha256:<hex> of the archive, verified against the index or the registry.
	Digest string `json:"digest,omitempty"`
	File   string `json:"file,omitempty"`
	Error  string `json:"error,omitempty"`
}

const maxChartBytes = 64 << 20

func pull(req pullRequest) pullResponse {
	timeout := time.Duration(req.TimeoutSeconds) * time.Second
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	client := &http.Client{Timeout: timeout}
	var version string
	var data []byte
	var err error
	if strings.HasPrefix(req.Repository, "oci://") {
		version, data, err = pullOCI(req, client)
	} else {
		version, data, err = pullHTTP(req, client)
	}
	if err != nil {
		return pullResponse{Error: redact(err.Error(), req.Repository)}
	}
	sum := sha256.Sum256(data)
	hexSum := hex.EncodeToString(sum[:])
	file, err := store(req.CacheDir, hexSum, data)
	if err != nil {
		return pullResponse{Error: err.Error()}
	}
	return pullResponse{Version: version, Digest: "sha256:" + hexSum, File: file}
}

func pullHTTP(req pullRequest, client *http.Client) (string, []byte, error) {
	base := strings.TrimSuffix(req.Repository, "/")
	index, err := get(client, base+"/index.yaml")
	if err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(req.CacheDir, 0o700); err != nil {
		return "", nil, err
	}
	tmp, err := os.CreateTemp(req.CacheDir, ".index-*.yaml")
	if err != nil {
		return "", nil, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(index); err != nil {
		tmp.Close()
		return "", nil, err
	}
	tmp.Close()
	idx, err := repo.LoadIndexFile(tmp.Name())
	if err != nil {
		return "", nil, fmt.Errorf("%s/index.yaml: %w", base, err)
	}
	cv, err := idx.Get(req.Chart, req.Version)
	if err != nil {
		return "", nil, fmt.Errorf("chart '%s' version '%s' in %s: %w", req.Chart, req.Version, base, err)
	}
	if len(cv.URLs) == 0 {
		return "", nil, fmt.Errorf("chart '%s' version '%s' has no download URL in %s", cv.Name, cv.Version, base)
	}
	u, err := repo.ResolveReferenceURL(base, cv.URLs[0])
	if err != nil {
		return "", nil, err
	}
	data, err := get(client, u)
	if err != nil {
		return "", nil, err
	}
	if cv.Digest != "" {
		sum := sha256.Sum256(data)
		if !strings.EqualFold(strings.TrimPrefix(cv.Digest, "sha256:"), hex.EncodeToString(sum[:])) {
			return "", nil, fmt.Errorf("chart '%s' version '%s': the archive's sha256 does not match the digest in the index", cv.Name, cv.Version)
		}
	}
	return cv.Version, data, nil
}

func get(client *http.Client, u string) ([]byte, error) {
	res, err := client.Get(u)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, res.Status)
	}
	data, err := io.ReadAll(io.LimitReader(res.Body, maxChartBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxChartBytes {
		return nil, fmt.Errorf("GET %s: larger than %d MB", u, maxChartBytes>>20)
	}
	return data, nil
}

// pullOCI: anonymous access only (credentials of the HelmRepository's
// secretRef live in the cluster); the registry client verifies each blob's digest.
func pullOCI(req pullRequest, client *http.Client) (string, []byte, error) {
	opts := []registry.ClientOption{
		registry.ClientOptHTTPClient(client),
		registry.ClientOptAuthorizer(auth.Client{Client: client, Cache: auth.NewCache()}),
	}
	if req.Insecure {
		opts = append(opts, registry.ClientOptPlainHTTP())
	}
	rc, err := registry.NewClient(opts...)
	if err != nil {
		return "", nil, err
	}
	ref := strings.TrimPrefix(strings.TrimSuffix(req.Repository, "/"), "oci://")
	if req.Chart != "" {
		ref += "/" + req.Chart
	}
	version := req.Version
	target := ref
	switch {
	case req.Digest != "":
		target = ref + "@" + req.Digest
	default:
		if version == "" {
			version = "*"
		}
		// An exact version or a tag (an OCIRepository's spec.ref.tag) is pulled as
		// it is; a constraint picks the newest matching semver tag.
		constraint, cerr := semver.NewConstraint(version)
		if _, err := semver.StrictNewVersion(version); err != nil && cerr == nil {
			tags, err := rc.Tags(ref)
			if err != nil {
				return "", nil, err
			}
			version = ""
			for _, t := range tags {
				if v, err := semver.NewVersion(t); err == nil && constraint.Check(v) {
					version = t
					break
				}
			}
			if version == "" {
				return "", nil, fmt.Errorf("no chart version of %s matches '%s'", ref, req.Version)
			}
		}
		target = ref + ":" + strings.ReplaceAll(version, "+", "_")
	}
	res, err := rc.Pull(target, registry.PullOptWithChart(true))
	if err != nil {
		return "", nil, err
	}
	if res.Chart == nil || len(res.Chart.Data) == 0 {
		return "", nil, errors.New(target + ": no chart layer")
	}
	if res.Chart.Meta != nil {
		version = res.Chart.Meta.Version
	}
	return version, res.Chart.Data, nil
}

// store writes the archive as <dir>/sha256/<hex>.tgz (a temporary file renamed into place).
func store(dir, hexSum string, data []byte) (string, error) {
	target := filepath.Join(dir, "sha256", hexSum+".tgz")
	if _, err := os.Stat(target); err == nil {
		return target, nil
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), ".pull-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return target, os.Rename(tmp.Name(), target)
}

// redact removes any user information of the repository URL from a message.
func redact(message, repository string) string {
	u, err := url.Parse(repository)
	if err != nil || u.User == nil {
		return message
	}
	safe := u.Redacted()
	message = strings.ReplaceAll(message, repository, safe)
	message = strings.ReplaceAll(message, u.User.String()+"@", "")
	return message
}
