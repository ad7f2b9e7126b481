// Command gittix-echo is the tiny HTTP server (and client) that the cluster
// smoke test deploys. One static binary, no files written, so it runs as uid
// 1000 on a read-only root filesystem under the `restricted` Pod Security level.
//
//	gittix-echo [-listen :8080] [-ready-after 2s] [-name NAME] [-write FILE]   serve
//	gittix-echo get [-tries 30] URL...   GET each URL, print the bodies, exit 0 if all gave 200
//
// -write makes the server write FILE at start and exit if it cannot (a volume check).
// Served paths:
//
//	/healthz         always 200 (liveness)
//	/readyz          200 once -ready-after has passed and readiness is on, else 503
//	/admin/ready     POST ?on=true|false switches readiness (the smoke test's lever)
//	anything else    200, a JSON line naming the server (-name), pod, method, host and path
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "get" {
		client := flag.NewFlagSet("get", flag.ExitOnError)
		tries := client.Int("tries", 30, "attempts per URL, one second apart")
		client.Parse(os.Args[2:])
		status := 0
		for _, url := range client.Args() {
			if fetch(url, *tries) != 0 {
				status = 1
			}
		}
		os.Exit(status)
	}
	listen := flag.String("listen", ":8080", "listen address")
	readyAfter := flag.Duration("ready-after", 2*time.Second, "report ready only after this long")
	name := flag.String("name", "echo", "name reported in every response")
	write := flag.String("write", "", "write this file at start (exit 1 if that fails)")
	flag.Parse()
	if *write != "" {
		if err := os.WriteFile(*write, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "gittix-echo: %s\n", err)
			os.Exit(1)
		}
	}
	serve(*listen, *readyAfter, *name)
}

func fetch(url string, tries int) int {
	client := &http.Client{Timeout: 5 * time.Second}
	var last string
	for i := 0; i < tries; i++ {
		if i > 0 {
			time.Sleep(time.Second)
		}
		resp, err := client.Get(url)
		if err != nil {
			last = err.Error()
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			fmt.Printf("%s %s", url, body)
			return 0
		}
		last = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, body)
	}
	fmt.Fprintf(os.Stderr, "gittix-echo: GET %s failed after %d tries: %s\n", url, tries, last)
	return 1
}

func serve(listen string, readyAfter time.Duration, name string) {
	started := time.Now()
	host, _ := os.Hostname()
	var ready atomic.Bool
	ready.Store(true)

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !ready.Load() || time.Since(started) < readyAfter {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	})
	mux.HandleFunc("/admin/ready", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		ready.Store(r.URL.Query().Get("on") != "false")
		fmt.Fprintf(w, "ready=%v\n", ready.Load())
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{
			"name": name, "pod": host, "method": r.Method, "host": r.Host, "path": r.URL.Path,
		})
	})

	srv := &http.Server{Addr: listen, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	fmt.Fprintf(os.Stderr, "gittix-echo: %s listening on %s\n", host, listen)
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		fmt.Fprintf(os.Stderr, "gittix-echo: %s\n", err)
		os.Exit(1)
	}
}
