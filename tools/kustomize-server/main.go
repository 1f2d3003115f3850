// kustomize-server builds many kustomizations in one process with the kustomize
// API that Flux v2.9.4's kustomize-controller embeds (sigs.k8s.io/kustomize/api
// v0.21.1 = the kustomize v5.8.1 CLI), exactly as `kustomize build DIR
// --load-restrictor LoadRestrictionsNone` does: same options, same output
// (ResMap.AsYaml). One process per build costs a Go start-up and the loading of
// kustomize's OpenAPI data every time; this pays for them once.
//
// Protocol: one JSON request per line on stdin, {"id":N,"dir":"/abs/dir"}; one
// JSON response per line on stdout, {"id":N,"yaml":"..."} or
// {"id":N,"error":"..."} with the error text the CLI prints after "Error: ".
// Requests are served one at a time (kustomize is not safe for concurrent
// builds: fluxcd/pkg serialises them too). `kustomize-server version` prints
// the kustomize version it matches.
//
// It never outlives fluxgate: it exits when its input ends, and on Linux the
// kernel kills it when fluxgate dies (a parent-death signal), even mid-build.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// The kustomize CLI release built from the same kustomize/api.
const kustomizeVersion = "v5.8.1"

type request struct {
	ID  int    `json:"id"`
	Dir string `json:"dir"`
}

type response struct {
	ID    int    `json:"id"`
	YAML  string `json:"yaml,omitempty"`
	Error string `json:"error,omitempty"`
}

// build is `kustomize build` (commands/build/build.go) with only
// --load-restrictor LoadRestrictionsNone given: plugins and Helm disabled,
// reorder unspecified, the managed-by label only when the environment asks.
func build(fSys filesys.FileSystem, dir string) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("kustomize panicked: %v", r)
		}
	}()
	opts := krusty.MakeDefaultOptions()
	opts.LoadRestrictions = types.LoadRestrictionsNone
	opts.Reorder = krusty.ReorderOptionUnspecified
	value, set := os.LookupEnv(konfig.EnableManagedbyLabelEnv)
	opts.AddManagedbyLabel = set && value == "on"
	m, err := krusty.MakeKustomizer(opts).Run(fSys, dir)
	if err != nil {
		return "", err
	}
	yml, err := m.AsYaml()
	if err != nil {
		return "", err
	}
	return string(yml), nil
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println(kustomizeVersion)
		return
	}
	exitWithParent()
	fSys := filesys.MakeFsOnDisk()
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	// Requests are read while a build runs: the end of input (fluxgate exited, or was
	// killed) ends the process at once, not after a build that may never finish.
	requests := make(chan []byte)
	go func() {
		in := bufio.NewScanner(os.Stdin)
		in.Buffer(make([]byte, 64*1024), 16*1024*1024)
		for in.Scan() {
			requests <- append([]byte(nil), in.Bytes()...)
		}
		os.Exit(0)
	}()
	for line := range requests {
		var req request
		var res response
		if err := json.Unmarshal(line, &req); err != nil {
			res.Error = fmt.Sprintf("kustomize-server: bad request: %v", err)
		} else {
			res.ID = req.ID
			yml, err := build(fSys, req.Dir)
			if err != nil {
				res.Error = err.Error()
			} else {
				res.YAML = yml
			}
		}
		if err := enc.Encode(res); err != nil {
			os.Exit(1)
		}
		if err := out.Flush(); err != nil {
			os.Exit(1)
		}
	}
}
