// Command ferretdb runs FerretDB v1 (MongoDB wire protocol over SQLite) for local development and
// tests, without Docker. It wraps the embeddable package github.com/FerretDB/FerretDB/ferretdb:
// `go install github.com/FerretDB/FerretDB/cmd/ferretdb` builds a binary that panics at start-up
// because its generated build/version/version.txt is not part of the published module.
//
// The embeddable package never starts the telemetry reporter and marks telemetry as disabled and
// locked, so nothing leaves this machine. The listener is restricted to loopback addresses.
//
// Flags (each also read from the environment variable named in brackets):
//
//	-listen-addr  TCP address, loopback only    [FERRETDB_LISTEN_ADDR] (default 127.0.0.1:37017)
//	-sqlite-dir   directory of the SQLite files [FERRETDB_SQLITE_DIR]  (default ./data)
//	-log-level    debug, info, warn or error    [FERRETDB_LOG_LEVEL]   (default warn)
//	-sqlite-synchronous  SQLite's synchronous level: full or normal [FERRETDB_SQLITE_SYNCHRONOUS] (default full)
//
// FerretDB opens SQLite in WAL mode. With synchronous=full every commit waits for an fsync, so every
// update (each its own transaction) costs one; normal skips it: a process crash (kill -9) still
// loses nothing committed, and the files cannot be corrupted, but an operating-system crash or a
// power loss can roll back the last transactions. infra/local runs the local store with normal
// (LOCAL_FERRETDB_SYNCHRONOUS); production runs MongoDB, not this.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// checkLoopback refuses any listen address that could be reached from another machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("listen address %q is not a loopback address (use 127.0.0.1:<port>)", addr)
	}
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(s))
	return l, err
}

func run() error {
	listenAddr := flag.String("listen-addr", envOr("FERRETDB_LISTEN_ADDR", "127.0.0.1:37017"), "TCP listen address (loopback only)")
	sqliteDir := flag.String("sqlite-dir", envOr("FERRETDB_SQLITE_DIR", "data"), "directory of the SQLite database files")
	logLevel := flag.String("log-level", envOr("FERRETDB_LOG_LEVEL", "warn"), "log level: debug, info, warn, error")
	synchronous := flag.String("sqlite-synchronous", envOr("FERRETDB_SQLITE_SYNCHRONOUS", "full"), "SQLite synchronous level: full or normal")
	flag.Parse()
	if *synchronous != "full" && *synchronous != "normal" {
		return fmt.Errorf("invalid -sqlite-synchronous %q: full or normal", *synchronous)
	}

	if err := checkLoopback(*listenAddr); err != nil {
		return err
	}

	level, err := parseLevel(*logLevel)
	if err != nil {
		return fmt.Errorf("invalid log level %q: %w", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	dir, err := filepath.Abs(*sqliteDir)
	if err != nil {
		return err
	}
	if err = os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create SQLite directory: %w", err)
	}
	// The SQLite backend wants a file: URI naming an existing directory, ending with a slash.
	sqliteURL := (&url.URL{
		Scheme:   "file",
		Path:     strings.TrimSuffix(dir, "/") + "/",
		RawQuery: url.Values{"_pragma": {"synchronous(" + *synchronous + ")"}}.Encode(),
	}).String()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	go maintainIDIndexes(ctx, dir, time.Second, logger)

	// One line on stdout when listening, for people reading the log; readiness is checked with a ping.
	fmt.Printf("ferretdb listening on %s (sqlite %s, pid %d)\n", *listenAddr, sqliteURL, os.Getpid())

	if err = f.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	fmt.Println("ferretdb stopped")
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}
