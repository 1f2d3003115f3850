// oci-registry is the CNCF Distribution registry (the reference OCI registry
// implementation), in memory, listening on loopback: the registry fluxgate's
// tests push charts to and pull them from. It prints "listening on ADDR" on
// stdout once it accepts connections, and serves until it is killed.
//
//	oci-registry [--addr 127.0.0.1:0]
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/distribution/distribution/v3/configuration"
	"github.com/distribution/distribution/v3/registry/handlers"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/inmemory"
)

const config = `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  inmemory: {}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:0
`

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (loopback)")
	flag.Parse()
	cfg, err := configuration.Parse(strings.NewReader(config))
	if err != nil {
		fail(err)
	}
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		fail(err)
	}
	app := handlers.NewApp(context.Background(), cfg)
	fmt.Printf("listening on %s\n", listener.Addr())
	os.Stdout.Sync()
	fail(http.Serve(listener, app))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "oci-registry: %v\n", err)
	os.Exit(1)
}
