package main

// FerretDB 1.24's SQLite backend pushes a filter of exactly `{_id: <string or ObjectId>}` down to
// SQLite as `_ferretdb_sjson->'$._id' = ?` (also for updates and deletes by _id), but it creates
// the collection's _id index on a different expression, `_ferretdb_sjson->"_id"`. SQLite uses an
// expression index only for the same expression, so every lookup by _id read the whole table
// (measured: 7 ms at 1,000 documents, 140 ms at 50,000, growing without bound). FerretDB v2 fixes
// pushdown but needs PostgreSQL with DocumentDB, which these machines do not have.
//
// This loop adds, to every collection table of every database file, an index on the expression the
// query uses. It runs beside FerretDB on its own connection (SQLite's WAL lets it; busy_timeout
// waits out FerretDB's writers). A new collection gets its index within a second; until then its
// reads are merely slow, never wrong. The index is invisible to FerretDB (not in its metadata), so
// listIndexes is unchanged, and it goes away with its table when a collection is dropped.

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses, registered as "sqlite"
)

const idIndexSuffix = "__ferretdb_id_lookup"

// maintainIDIndexes runs until ctx ends, indexing new collection tables every interval.
func maintainIDIndexes(ctx context.Context, dir string, interval time.Duration, logger *slog.Logger) {
	done := map[string]bool{}      // "<file>\x00<table>" already indexed
	seen := map[string]time.Time{} // file → modification time when it was last fully indexed
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			// A new collection is a write to the file or its WAL; a database nobody wrote to since
			// the last pass is skipped, so hundreds of idle databases cost a stat each.
			changed := lastWrite(file)
			if t, ok := seen[file]; ok && !changed.After(t) {
				continue
			}
			if err := indexFile(ctx, file, done); err != nil {
				if ctx.Err() == nil {
					logger.Debug("id index pass failed; will retry", "file", file, "error", err)
				}
				continue
			}
			// Taken after the pass: closing our connection may checkpoint the WAL, itself a write.
			// A collection created during the pass is caught at the database's next write.
			seen[file] = lastWrite(file)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// lastWrite is the later modification time of a database file and its write-ahead log.
func lastWrite(file string) time.Time {
	var t time.Time
	for _, f := range []string{file, file + "-wal"} {
		if info, err := os.Stat(f); err == nil && info.ModTime().After(t) {
			t = info.ModTime()
		}
	}
	return t
}

func indexFile(ctx context.Context, file string, done map[string]bool) error {
	dsn := (&url.URL{Scheme: "file", Path: file, RawQuery: "_pragma=busy_timeout(10000)&_txlock=immediate"}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	// Closed after each pass: FerretDB deletes a database's file when it is dropped.
	defer db.Close()

	rows, err := db.QueryContext(ctx, `SELECT table_name FROM "_ferretdb_collections"`)
	if err != nil {
		return err // not (yet) a FerretDB database
	}
	var tables []string
	for rows.Next() {
		var t string
		if err = rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		if !done[file+"\x00"+t] {
			tables = append(tables, t)
		}
	}
	rows.Close()

	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+idIndexSuffix, t)
		if _, err = db.ExecContext(ctx, q); err != nil {
			if strings.Contains(err.Error(), "no such table") {
				continue // dropped since the listing
			}
			return err
		}
		done[file+"\x00"+t] = true
	}
	return nil
}
