package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/cli/values"
	"helm.sh/helm/v4/pkg/getter"
	kubefake "helm.sh/helm/v4/pkg/kube/fake"
	"helm.sh/helm/v4/pkg/storage"
	"helm.sh/helm/v4/pkg/storage/driver"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

// templateCommand is `helm template NAME CHART` built straight on the Helm SDK,
// with Helm's own command-line values handling (pkg/cli/values: -f, --set,
// --set-string, --set-literal): the reference the differential tests compare
// fluxgate's rendering of HelmReleases against. It prints the manifests, then
// the hooks, as `helm template` does.
func templateCommand(args []string) error {
	fs := flag.NewFlagSet("template", flag.ContinueOnError)
	namespace := fs.String("namespace", "default", "release namespace")
	kubeVersion := fs.String("kube-version", "", "Kubernetes version")
	includeCRDs := fs.Bool("include-crds", false, "include the chart's CRDs")
	var files, sets, strs, literals, apis list
	fs.Var(&files, "f", "values file (repeatable)")
	fs.Var(&sets, "set", "--set (repeatable)")
	fs.Var(&strs, "set-string", "--set-string (repeatable)")
	fs.Var(&literals, "set-literal", "--set-literal (repeatable)")
	fs.Var(&apis, "api-versions", "API versions (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("usage: helm-server template [flags] NAME CHART")
	}
	opts := values.Options{ValueFiles: files, Values: sets, StringValues: strs, LiteralValues: literals}
	vals, err := opts.MergeValues(getter.Providers{})
	if err != nil {
		return err
	}
	ch, err := loader.Load(fs.Arg(1))
	if err != nil {
		return err
	}
	cfg := action.NewConfiguration()
	cfg.KubeClient = &kubefake.PrintingKubeClient{Out: io.Discard}
	mem := driver.NewMemory()
	mem.SetNamespace(*namespace)
	cfg.Releases = storage.Init(mem)
	install := action.NewInstall(cfg)
	install.DryRunStrategy = action.DryRunClient
	install.ReleaseName = fs.Arg(0)
	install.Namespace = *namespace
	install.IncludeCRDs = *includeCRDs
	install.APIVersions = common.VersionSet(apis)
	if *kubeVersion != "" {
		kv, err := common.ParseKubeVersion(*kubeVersion)
		if err != nil {
			return err
		}
		install.KubeVersion = kv
	}
	rel, err := runInstall(install, ch, vals)
	if err != nil {
		return err
	}
	fmt.Fprint(os.Stdout, rel.Manifest)
	for _, h := range rel.Hooks {
		fmt.Fprintf(os.Stdout, "---\n# Source: %s\n%s\n", h.Path, h.Manifest)
	}
	return nil
}
