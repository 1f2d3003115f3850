// helm-server renders HelmReleases with the Helm SDK that helm-controller of
// Flux v2.9.4 embeds (helm-controller v1.6.3: helm.sh/helm/v4 v4.2.4, see
// go.mod), in one long-lived process, as tools/kustomize-server does for
// kustomize builds: one Go start-up and one load of Helm's packages per
// process, not per release.
//
// Protocol: one JSON request per line on stdin, {"id":N,"op":"render",...} or
// {"id":N,"op":"pull",...}; one JSON response per line on stdout with the same
// id (see render.go and pull.go for the fields). Requests are served one at a
// time. Other modes, for tests and `fluxgate charts`:
//
//	helm-server version                   the Helm version it embeds
//	helm-server package CHART_DIR OUT_DIR  `helm package` (prints the archive path)
//	helm-server index DIR URL              `helm repo index DIR --url URL`
//	helm-server push ARCHIVE oci://REPO    `helm push` over plain HTTP (a loopback registry)
//	helm-server template [flags] NAME CHART `helm template` on the SDK (the differential tests' reference)
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
)

// The Helm release helm-controller v1.6.3 builds with: its go.mod replaces
// helm.sh/helm/v4 with github.com/fluxcd/helm/v4 v4.2.4-flux.1, Helm v4.2.4
// plus one fix (empty lines kept in post-rendered manifests). The fork is not
// on the Go module proxy; v4.2.4 is what it is based on.
const helmVersion = "v4.2.4"

// The fields every request has; the rest is read by the operation.
type header struct {
	ID int    `json:"id"`
	Op string `json:"op"`
}

func main() {
	// Helm logs warnings (unresolved URNs, missing exact versions) through slog;
	// stdout carries only responses.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if len(os.Args) > 1 {
		if err := command(os.Args[1], os.Args[2:]); err != nil {
			fmt.Fprintf(os.Stderr, "helm-server: %v\n", err)
			os.Exit(1)
		}
		return
	}
	// Serving fluxgate: gone with it, as kustomize-server (a render may run long after a SIGKILL).
	exitWithParent()
	serve(os.Stdin, os.Stdout)
}

func command(name string, args []string) error {
	switch {
	case name == "version":
		fmt.Println(helmVersion)
		return nil
	case name == "package" && len(args) == 2:
		file, err := packageChart(args[0], args[1])
		if err == nil {
			fmt.Println(file)
		}
		return err
	case name == "index" && len(args) == 2:
		return indexDirectory(args[0], args[1])
	case name == "template":
		return templateCommand(args)
	case name == "push" && len(args) == 2:
		digest, err := pushChart(args[0], args[1])
		if err == nil {
			fmt.Println(digest)
		}
		return err
	}
	return fmt.Errorf("usage: helm-server [version | package CHART_DIR OUT_DIR | index DIR URL | push ARCHIVE oci://REPO | template [flags] NAME CHART]")
}

func serve(stdin io.Reader, stdout io.Writer) {
	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 64*1024), 256*1024*1024)
	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	for in.Scan() {
		var req header
		var res any
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			res = errorResponse{Error: fmt.Sprintf("helm-server: bad request: %v", err)}
		} else {
			res = handle(req, in.Bytes())
		}
		if err := enc.Encode(res); err != nil {
			os.Exit(1)
		}
		if err := out.Flush(); err != nil {
			os.Exit(1)
		}
	}
}

type errorResponse struct {
	ID    int    `json:"id"`
	Error string `json:"error"`
}

func handle(req header, line []byte) (res any) {
	defer func() {
		if r := recover(); r != nil {
			res = errorResponse{ID: req.ID, Error: fmt.Sprintf("helm panicked: %v", r)}
		}
	}()
	bad := func(err error) any {
		return errorResponse{ID: req.ID, Error: fmt.Sprintf("helm-server: bad %s request: %v", req.Op, err)}
	}
	switch req.Op {
	case "render":
		var r renderRequest
		if err := json.Unmarshal(line, &r); err != nil {
			return bad(err)
		}
		out := render(r)
		out.ID = req.ID
		return out
	case "pull":
		var p pullRequest
		if err := json.Unmarshal(line, &p); err != nil {
			return bad(err)
		}
		out := pull(p)
		out.ID = req.ID
		return out
	}
	return errorResponse{ID: req.ID, Error: fmt.Sprintf("helm-server: unknown op %q", req.Op)}
}
