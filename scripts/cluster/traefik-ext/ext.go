// Package ext stands in for Traefik's dynamic-configuration extension points.
//
// Why: Traefik v3.7's go.mod replaces github.com/traefik/traefik/dynamic/ext
// with ./pkg/config/dynamic/ext, a nested module that the module proxy's zip of
// Traefik leaves out (nested modules never ship in their parent's zip), so
// Traefik cannot be built from the proxy without something in its place.
// Traefik embeds ext.HTTP in HTTPConfiguration and ext.Router in Router and only
// copies them by value; the open-source build adds no fields to them, so empty
// structs keep every configuration field and behaviour of the upstream build.
package ext

// HTTP is embedded in Traefik's dynamic HTTPConfiguration.
type HTTP struct{}

// Router is embedded in Traefik's dynamic Router.
type Router struct{}
