// Command etcd is go.etcd.io/etcd/server/v3's etcd binary (the same wrapper as
// upstream server/main.go), built from a module of our own; Debian's
// etcd-server is 3.4, too old for current Kubernetes.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
