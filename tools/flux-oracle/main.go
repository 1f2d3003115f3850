// Command flux-oracle renders one Flux Kustomization the way
// kustomize-controller v1.9.4 (Flux v2.9.4) builds it, by calling the same
// library code: github.com/fluxcd/pkg/kustomize's generator, SecureBuild and
// SubstituteVariables, then commonMetadata as the controller's apply step sets
// it. fluxgate's differential tests (test/differential/) compare its output
// with fluxgate's own renderer.
//
// Usage:
//
//	flux-oracle --source-root DIR --kustomization FILE.yaml [--var-source FILE.yaml ...]
//
// The source root stands for the source artifact. It is copied first, as
// source-controller archives a GitRepository (regular files and directories
// only, symlinks dropped; .git/ and the default exclusions, .sourceignore
// files and --ignore applied), into a temporary directory, because the
// generator writes kustomization.yaml into spec.path: the input is never
// modified. --var-source files hold the ConfigMaps and Secrets that
// spec.postBuild.substituteFrom reads; they are served by a fake Kubernetes
// client, so a missing one is "not found" exactly as against a cluster.
//
// Output: the objects the controller would apply, in kustomize's order, as
// multi-document YAML on stdout (or, with --output json, one v1 List). Exit 0
// on success, 1 when the build fails (the controller's error message on
// stderr), 2 on usage or input errors. See README.md.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	securejoin "github.com/cyphar/filepath-securejoin"
	kustomizev1 "github.com/fluxcd/kustomize-controller/api/v1"
	generator "github.com/fluxcd/pkg/kustomize"
	"github.com/fluxcd/pkg/sourceignore"
	"github.com/fluxcd/pkg/sourceignore/gitignore"
	"github.com/fluxcd/pkg/ssa/normalize"
	ssautil "github.com/fluxcd/pkg/ssa/utils"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/yaml"
)

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// usageError marks errors in the invocation or the input files (exit 2), as
// opposed to build failures (exit 1).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

type options struct {
	sourceRoot         string
	kustomizationFile  string
	varSources         []string
	ignore             string
	noSourceIgnore     bool
	strict             bool
	noRemoteBases      bool
	normalize          bool
	printKustomization bool
	output             string
	listArtifact       bool
}

func main() {
	var o options
	var varSources stringList
	fs := flag.NewFlagSet("flux-oracle", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.StringVar(&o.sourceRoot, "source-root", "", "directory standing for the source artifact (required; never modified)")
	fs.StringVar(&o.kustomizationFile, "kustomization", "", "YAML file holding the Flux Kustomization (kustomize.toolkit.fluxcd.io/v1) (required)")
	fs.Var(&varSources, "var-source", "YAML file with ConfigMaps/Secrets for spec.postBuild.substituteFrom (repeatable, multi-document)")
	fs.StringVar(&o.ignore, "ignore", "", "extra .sourceignore-style patterns, as a GitRepository's spec.ignore")
	fs.BoolVar(&o.noSourceIgnore, "no-source-ignore", false, "copy the source root as it is (no .git/, default or .sourceignore exclusions)")
	fs.BoolVar(&o.strict, "strict", true, "strict postBuild substitution (feature gate StrictPostBuildSubstitutions, on by default in kustomize-controller v1.9)")
	fs.BoolVar(&o.noRemoteBases, "no-remote-bases", false, "disallow remote bases (the controller's --no-remote-bases; default allows them)")
	fs.BoolVar(&o.normalize, "normalize", false, "also apply the controller's pre-apply normalization (fluxcd/pkg/ssa/normalize: typed round trip, defaults, status dropped)")
	fs.BoolVar(&o.printKustomization, "print-kustomization", false, "print the kustomization.yaml the generator wrote to stderr")
	fs.StringVar(&o.output, "output", "yaml", "yaml (multi-document) or json (a v1 List, unambiguous for tests)")
	fs.BoolVar(&o.listArtifact, "list-artifact", false, "only list what the artifact of --source-root holds (one path per line, directories with a trailing /), after the exclusions; no build")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "Usage: flux-oracle --source-root DIR --kustomization FILE.yaml [--var-source FILE.yaml ...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(2)
	}
	o.varSources = varSources
	if fs.NArg() > 0 {
		fail(usagef("unexpected arguments: %v", fs.Args()))
	}
	if o.output != "yaml" && o.output != "json" {
		fail(usagef("--output must be yaml or json, not %q", o.output))
	}
	if o.listArtifact && o.sourceRoot != "" {
		out, err := listArtifact(o)
		if err != nil {
			fail(err)
		}
		if _, err := os.Stdout.Write(out); err != nil {
			fail(err)
		}
		return
	}
	if o.sourceRoot == "" || o.kustomizationFile == "" {
		fs.Usage()
		os.Exit(2)
	}

	out, err := run(context.Background(), o)
	if err != nil {
		fail(err)
	}
	if _, err := os.Stdout.Write(out); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err.Error())
	var ue usageError
	if errors.As(err, &ue) {
		os.Exit(2)
	}
	os.Exit(1)
}

func run(ctx context.Context, o options) ([]byte, error) {
	obj, err := readKustomization(o.kustomizationFile)
	if err != nil {
		return nil, err
	}
	kubeClient, err := newVarSourceClient(o.varSources)
	if err != nil {
		return nil, err
	}

	st, err := os.Stat(o.sourceRoot)
	if err != nil || !st.IsDir() {
		return nil, usagef("--source-root %s is not a directory", o.sourceRoot)
	}
	tmpDir, err := os.MkdirTemp("", "flux-oracle-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmpDir)
	// The controller works in a temp dir too; resolve it (e.g. /tmp may be a
	// symlink on some systems) so securejoin and the secure FS agree.
	if tmpDir, err = filepath.EvalSymlinks(tmpDir); err != nil {
		return nil, err
	}
	if err := copyArtifact(o.sourceRoot, tmpDir, o.ignore, !o.noSourceIgnore); err != nil {
		return nil, usagef("copying the source root: %w", err)
	}

	// From here on: KustomizationReconciler.reconcile, generate, build (v1.9.4).
	dirPath, err := securejoin.SecureJoin(tmpDir, obj.Spec.Path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(dirPath); err != nil {
		return nil, fmt.Errorf("kustomization path not found: %w", err)
	}

	k, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, err
	}
	u := unstructured.Unstructured{Object: k}

	if _, err := generator.NewGenerator(tmpDir, u).WriteFile(dirPath); err != nil {
		return nil, err
	}
	if o.printKustomization {
		printGenerated(dirPath)
	}

	resources, err := build(ctx, obj, u, kubeClient, tmpDir, dirPath, o)
	if err != nil {
		return nil, err
	}

	// reconcile: ssautil.ReadObjects; apply: normalize, then commonMetadata.
	objects, err := ssautil.ReadObjects(bytes.NewReader(resources))
	if err != nil {
		return nil, err
	}
	if o.normalize {
		if err := normalize.UnstructuredList(objects); err != nil {
			return nil, err
		}
	}
	if cmeta := obj.Spec.CommonMetadata; cmeta != nil {
		ssautil.SetCommonMetadata(objects, cmeta.Labels, cmeta.Annotations)
	}
	var s string
	if o.output == "json" {
		s, err = ssautil.ObjectsToJSON(objects)
		s += "\n"
	} else {
		s, err = ssautil.ObjectsToYAML(objects)
	}
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// build is KustomizationReconciler.build without SOPS decryption.
func build(ctx context.Context, obj *kustomizev1.Kustomization, u unstructured.Unstructured,
	kubeClient client.Client, workDir, dirPath string, o options) ([]byte, error) {
	if obj.Spec.Decryption != nil {
		fmt.Fprintln(os.Stderr, "flux-oracle: warning: spec.decryption is set; SOPS decryption is not performed")
	}

	m, err := generator.SecureBuild(workDir, dirPath, !o.noRemoteBases)
	if err != nil {
		return nil, fmt.Errorf("kustomize build failed: %w", err)
	}

	for _, res := range m.Resources() {
		// check if resources conform to the Kubernetes API conventions
		if res.GetName() == "" || res.GetKind() == "" || res.GetApiVersion() == "" {
			return nil, fmt.Errorf("failed to decode Kubernetes apiVersion, kind and name from: %v", res.String())
		}

		// run variable substitutions
		if obj.Spec.PostBuild != nil {
			always := obj.GetSubstituteStrategy() == kustomizev1.SubstituteStrategyAlways
			outRes, err := generator.SubstituteVariables(ctx, kubeClient, u, res,
				generator.SubstituteWithStrict(o.strict),
				generator.SubstituteWithAlways(always))
			if err != nil {
				return nil, fmt.Errorf("post build failed for '%s/%s': %w", res.GetGvk(), res.GetName(), err)
			}

			if outRes != nil {
				_, err = m.Replace(res)
				if err != nil {
					return nil, err
				}
			}
		}
	}

	resources, err := m.AsYaml()
	if err != nil {
		return nil, fmt.Errorf("kustomize build failed: %w", err)
	}
	return resources, nil
}

func printGenerated(dirPath string) {
	for _, name := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		if data, err := os.ReadFile(filepath.Join(dirPath, name)); err == nil {
			fmt.Fprintf(os.Stderr, "# %s (as written by the generator)\n%s", name, data)
			return
		}
	}
}

// readKustomization decodes the Flux Kustomization strictly (unknown fields
// are an error, so a typo in a fixture cannot pass silently). The controller
// receives the object from the API server, where it always has a namespace:
// an object without one gets "default", as kubectl would apply it.
func readKustomization(path string) (*kustomizev1.Kustomization, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("--kustomization: %w", err)
	}
	var obj kustomizev1.Kustomization
	if err := yaml.UnmarshalStrict(data, &obj); err != nil {
		return nil, usagef("--kustomization %s: %w", path, err)
	}
	if obj.APIVersion != kustomizev1.GroupVersion.String() || obj.Kind != kustomizev1.KustomizationKind {
		return nil, usagef("--kustomization %s: want apiVersion %s, kind %s; got %q, %q", path,
			kustomizev1.GroupVersion.String(), kustomizev1.KustomizationKind, obj.APIVersion, obj.Kind)
	}
	if obj.Name == "" {
		return nil, usagef("--kustomization %s: metadata.name is required", path)
	}
	if obj.Namespace == "" {
		obj.Namespace = "default"
	}
	return &obj, nil
}

// newVarSourceClient returns a fake client serving the ConfigMaps and Secrets
// of the given files. A Secret's stringData is merged into data, as the API
// server does; a missing namespace is "default", as kubectl would apply it.
func newVarSourceClient(files []string) (client.Client, error) {
	scheme := runtime.NewScheme()
	if err := corev1.AddToScheme(scheme); err != nil {
		return nil, err
	}
	var objs []client.Object
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, usagef("--var-source: %w", err)
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
		for i := 0; ; i++ {
			var u unstructured.Unstructured
			if err := dec.Decode(&u.Object); err != nil {
				if err == io.EOF {
					break
				}
				return nil, usagef("--var-source %s: document %d: %w", f, i, err)
			}
			if len(u.Object) == 0 {
				continue
			}
			switch {
			case u.GetAPIVersion() == "v1" && u.GetKind() == "ConfigMap":
				var cm corev1.ConfigMap
				if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(u.Object, &cm, true); err != nil {
					return nil, usagef("--var-source %s: document %d: %w", f, i, err)
				}
				if cm.Namespace == "" {
					cm.Namespace = "default"
				}
				objs = append(objs, &cm)
			case u.GetAPIVersion() == "v1" && u.GetKind() == "Secret":
				var s corev1.Secret
				if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(u.Object, &s, true); err != nil {
					return nil, usagef("--var-source %s: document %d: %w", f, i, err)
				}
				if s.Namespace == "" {
					s.Namespace = "default"
				}
				if len(s.StringData) > 0 {
					if s.Data == nil {
						s.Data = map[string][]byte{}
					}
					for k, v := range s.StringData {
						s.Data[k] = []byte(v)
					}
					s.StringData = nil
				}
				objs = append(objs, &s)
			default:
				return nil, usagef("--var-source %s: document %d: want a v1 ConfigMap or Secret, got %s %s",
					f, i, u.GetAPIVersion(), u.GetKind())
			}
		}
	}
	return fake.NewClientBuilder().WithScheme(scheme).WithObjects(objs...).Build(), nil
}

// listArtifact copies the source root as the artifact holds it and lists the
// copy: the entries source-controller's archive would extract to.
func listArtifact(o options) ([]byte, error) {
	tmpDir, err := os.MkdirTemp("", "flux-oracle-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmpDir)
	if err := copyArtifact(o.sourceRoot, tmpDir, o.ignore, !o.noSourceIgnore); err != nil {
		return nil, usagef("copying the source root: %w", err)
	}
	var out bytes.Buffer
	err = filepath.Walk(tmpDir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || p == tmpDir {
			return err
		}
		rel, err := filepath.Rel(tmpDir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if fi.IsDir() {
			rel += "/"
		}
		out.WriteString(rel + "\n")
		return nil
	})
	return out.Bytes(), err
}

// copyArtifact copies src into dst as source-controller's artifact storage
// archives a GitRepository checkout (fluxcd/pkg/artifact/storage Archive and
// SourceIgnoreFilter): only regular files and directories (symlinks are
// dropped), and with filtering, without what the VCS patterns, the default
// exclusions (when no .sourceignore patterns exist), the .sourceignore files
// and extra (spec.ignore) match.
func copyArtifact(src, dst, extra string, filter bool) error {
	src, err := filepath.Abs(src)
	if err != nil {
		return err
	}
	var matcher gitignore.Matcher
	if filter {
		domain := strings.Split(src, string(filepath.Separator))
		ps, err := sourceignore.LoadIgnorePatterns(src, domain)
		if err != nil {
			return err
		}
		if extra != "" {
			ps = append(ps, sourceignore.ReadPatterns(strings.NewReader(extra), domain)...)
		}
		if len(ps) > 0 {
			matcher = sourceignore.NewMatcher(append(sourceignore.VCSPatterns(domain), ps...))
		} else {
			matcher = sourceignore.NewDefaultMatcher(ps, domain)
		}
	}
	return filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if m := fi.Mode(); !(m.IsRegular() || m.IsDir()) {
			return nil
		}
		if matcher != nil && matcher.Match(strings.Split(p, string(filepath.Separator)), fi.IsDir()) {
			// The archive skips the entry but walks on; only .git is pruned
			// here (always excluded, and often large).
			if fi.IsDir() && fi.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(target, 0o750)
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
			return err
		}
		return copyFile(p, target)
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
