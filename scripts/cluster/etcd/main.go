// Command etcd is etcd's own server entry point, built through a wrapper module.
//
// Why a wrapper: `go install go.etcd.io/etcd/server/v3@version` is refused
// because etcd's go.mod has replace directives, and the etcd main package
// (go.etcd.io/etcd/v3) is not a module the proxy can build on its own.
// etcdmain.Main is exactly what upstream's main calls.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
