// Command ferretdb runs FerretDB v1 through its embeddable package.
//
// Why a wrapper instead of `go install …/cmd/ferretdb`: the module zip of
// FerretDB v1 lacks build/version/version.txt, so a binary built from it
// panics at start (FerretDB issue #2982). The embeddable package does not need
// that file, and it always runs with telemetry disabled.
//
// Flags follow the upstream CLI names so the callers read the same either way.
// The build patches the embeddable package (scripts/ferretdb/patches) so it can
// authenticate: --setup-username with the password in FERRETDB_SETUP_PASSWORD
// (an environment variable, so it is not on every process listing) turns on
// SCRAM and creates that user in --setup-database at start.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listenAddr := flag.String("listen-addr", "127.0.0.1:27017", "listen TCP address")
	handler := flag.String("handler", "sqlite", "backend handler: sqlite or postgresql")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite URI (a directory, ending with a slash)")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL URL for the postgresql handler")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn, error")
	_ = flag.String("telemetry", "disable", "accepted for CLI compatibility; telemetry is always disabled")
	setupDatabase := flag.String("setup-database", "admin", "database of the --setup-username user")
	setupUsername := flag.String("setup-username", "", "enable authentication with this user (password: FERRETDB_SETUP_PASSWORD)")
	flag.Parse()

	var auth *ferretdb.AuthConfig
	if *setupUsername != "" {
		password := os.Getenv("FERRETDB_SETUP_PASSWORD")
		if password == "" {
			fmt.Fprintln(os.Stderr, "ferretdb: --setup-username needs the password in FERRETDB_SETUP_PASSWORD")
			os.Exit(2)
		}
		auth = &ferretdb.AuthConfig{Database: *setupDatabase, Username: *setupUsername, Password: password}
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: invalid --log-level %q\n", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgresURL,
		Auth:          auth,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %s\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	fmt.Fprintf(os.Stderr, "ferretdb: listening on %s (%s)\n", *listenAddr, *handler)
	if err := f.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %s\n", err)
		os.Exit(1)
	}
}
