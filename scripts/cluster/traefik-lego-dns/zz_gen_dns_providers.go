// Package dns stands in for lego's registry of ACME DNS-01 challenge providers
// when scripts/cluster/build.sh builds Traefik for the local cluster.
//
// Why: lego's registry imports ~180 provider packages, and the module proxy this
// project can reach refuses the SDK modules of about fifteen of them (alidns,
// edgedns, huaweicloud, oraclecloud, …: "403 This module version is not
// available"), so Traefik cannot be built with it. Traefik calls only
// NewDNSChallengeProviderByName, and only for a certificate resolver with a DNS
// challenge, which a cluster that reaches no ACME server never configures. Every
// other part of lego (the ACME client, HTTP-01 and TLS-ALPN-01) is unchanged.
package dns

import (
	"fmt"

	"github.com/go-acme/lego/v5/challenge"
)

// NewDNSChallengeProviderByName reports that no DNS-01 provider is built in.
func NewDNSChallengeProviderByName(name string) (challenge.Provider, error) {
	return nil, fmt.Errorf("DNS challenge provider %q is not built into this Traefik (GitTix local cluster: scripts/cluster/build.sh)", name)
}
