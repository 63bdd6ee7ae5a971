// Package postgrestest gives each test its own fully migrated PostgreSQL
// database, cloned from a template database that is migrated once (see
// DESIGN.md, "Local PostgreSQL (pglocal)").
//
// The server is the one named by TEST_DATABASE_URL, for example
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable, or else a
// throwaway server started by pglocal once per test process. The throwaway
// server dies with the test process (parent-death signal), so no TestMain is
// needed; its data folder is removed by a later test process.
package postgrestest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the "postgres" driver
	"github.com/peterldowns/pgtestdb"

	"github.com/hiregraph/hiregraph/internal/pglocal"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// EnvURL names the environment variable that points the tests at an existing
// server instead of a throwaway one.
const EnvURL = "TEST_DATABASE_URL"

// New returns a connection pool (sqlx, driver "postgres") to a new database
// with every migration applied, and that database's URL, so that a test can
// open more connections to it (for example to run a real server on it). The
// database is dropped at the end of the test if the test passed, and kept for
// inspection if it failed (its URL is in the test log).
func New(tb testing.TB) (*sqlx.DB, string) {
	tb.Helper()
	conf, err := serverConfig()
	if err != nil {
		tb.Fatalf("postgrestest: %v", err)
	}
	inst := pgtestdb.Custom(tb, conf, migrator{})
	dsn := inst.URL()

	db, err := postgres.OpenDB(dsn)
	if err != nil {
		tb.Fatalf("postgrestest: open %s: %v", dsn, err)
	}
	// Registered after pgtestdb's own cleanup, so it runs before it: the pool
	// must be closed before the database can be dropped.
	tb.Cleanup(func() { db.Close() })
	if err := db.Ping(); err != nil {
		tb.Fatalf("postgrestest: connect to %s: %v", dsn, err)
	}
	return db, dsn
}

// serverConfig returns how to reach the server that holds the test databases,
// starting the throwaway one on first use.
func serverConfig() (pgtestdb.Config, error) {
	var conf pgtestdb.Config
	var err error
	if raw := os.Getenv(EnvURL); raw != "" {
		conf, err = parseURL(raw)
		if err != nil {
			return pgtestdb.Config{}, fmt.Errorf("%s: %w", EnvURL, err)
		}
	} else {
		conf, err = localServer()
		if err != nil {
			return pgtestdb.Config{}, err
		}
	}
	// Tests may leave connections open on purpose, e.g. through an HTTP
	// server's pool that outlives the test body; without this the DROP
	// DATABASE at cleanup would fail the test.
	conf.ForceTerminateConnections = true
	return conf, nil
}

// parseURL turns a postgres:// URL into a pgtestdb.Config for its admin
// connection (the role must be allowed to create roles and databases).
func parseURL(raw string) (pgtestdb.Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return pgtestdb.Config{}, err
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return pgtestdb.Config{}, fmt.Errorf("want a postgres:// URL, got %q", raw)
	}
	host := u.Hostname()
	if host == "" {
		host = "localhost"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // pgtestdb pastes Host into a URL as is
	}
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	user, password := "postgres", ""
	if u.User != nil {
		user = u.User.Username()
		password, _ = u.User.Password()
	}
	database := strings.TrimPrefix(u.Path, "/")
	if database == "" {
		database = "postgres"
	}
	return pgtestdb.Config{
		DriverName: "postgres",
		Host:       host,
		Port:       port,
		User:       user,
		Password:   password,
		Database:   database,
		Options:    u.RawQuery,
	}, nil
}

var local struct {
	once sync.Once
	conf pgtestdb.Config
	err  error
}

// tempPrefix names the throwaway servers' folders in os.TempDir().
const tempPrefix = "hiregraph-pgtest-"

// ownerFile, inside each throwaway folder, holds the pid of the test process
// that owns it, so that later processes can tell abandoned folders apart.
const ownerFile = "owner.pid"

// localServer starts, once per process, a throwaway pglocal server.
func localServer() (pgtestdb.Config, error) {
	local.once.Do(func() {
		removeAbandoned()
		local.conf, local.err = startLocal()
	})
	return local.conf, local.err
}

func startLocal() (pgtestdb.Config, error) {
	base, err := os.MkdirTemp("", tempPrefix)
	if err != nil {
		return pgtestdb.Config{}, err
	}
	// MkdirTemp makes it 0700; when running as root, the unprivileged
	// account that runs postgres has to get through it to the data dir.
	if err := os.Chmod(base, 0o755); err != nil {
		return pgtestdb.Config{}, err
	}
	if err := os.WriteFile(filepath.Join(base, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return pgtestdb.Config{}, err
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Never stopped explicitly: it must outlive every test of the process,
	// and the parent-death signal shuts it down when the process exits.
	srv, err := pglocal.Start(ctx, pglocal.Options{DataDir: filepath.Join(base, "data"), Fast: true})
	if err != nil {
		os.RemoveAll(base)
		if errors.Is(err, pglocal.ErrNoBinaries) {
			return pgtestdb.Config{}, fmt.Errorf("%w (for tests: or set %s)", err, EnvURL)
		}
		return pgtestdb.Config{}, err
	}
	return pgtestdb.Config{
		DriverName: "postgres",
		Host:       "127.0.0.1",
		Port:       strconv.Itoa(srv.Port()),
		User:       "postgres",
		Database:   "postgres",
		Options:    "sslmode=disable",
	}, nil
}

// removeAbandoned deletes, best effort, the folders of throwaway servers whose
// test process has exited: nothing could remove them at that time. Folders
// without an owner file (just being created) or with a live owner are kept.
func removeAbandoned() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, dir := range dirs {
		if pidAlive(pidIn(filepath.Join(dir, ownerFile))) {
			continue
		}
		// The server may still be shutting down after its parent died.
		if pidAlive(pidIn(filepath.Join(dir, "data", "postmaster.pid"))) {
			continue
		}
		os.RemoveAll(dir)
	}
}

// pidIn reads the pid on the first line of file; -1 if there is none.
func pidIn(file string) int {
	data, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && filepath.Base(file) == ownerFile {
			return 0 // no owner yet: treat as alive
		}
		return -1
	}
	line, _, _ := strings.Cut(string(data), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return -1
	}
	return pid
}

// pidAlive reports whether pid may be running; 0 means "unknown, assume so".
func pidAlive(pid int) bool {
	switch {
	case pid == 0:
		return true
	case pid < 0:
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// migrator builds the template database with the application's migrations.
type migrator struct{}

// Hash identifies the migrated schema by the names and contents of the
// migration files: pgtestdb reuses a template with the same hash (also
// across test processes on a shared server) and builds a new one otherwise.
func (migrator) Hash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(postgres.Migrations(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(postgres.Migrations(), path)
		if err != nil {
			return err
		}
		// Length-prefixed so that moving bytes between a name and a file
		// cannot produce the same hash.
		for _, b := range [][]byte{[]byte(path), data} {
			_ = binary.Write(h, binary.BigEndian, uint64(len(b)))
			h.Write(b)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash migrations: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Migrate applies every migration to the template database.
func (migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	return postgres.Migrate(ctx, db)
}
