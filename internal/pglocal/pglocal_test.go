package pglocal

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/lib/pq"
)

// baseDir returns a fresh directory that the server account can traverse.
// t.TempDir is not used because its parent is created 0700, which the
// `postgres` account cannot enter when the tests run as root.
func baseDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pglocal-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func startServer(t *testing.T, dataDir string) *Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Start(ctx, Options{DataDir: dataDir, Fast: true})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { s.Stop() })
	return s
}

func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestStartStopPersist starts a server, writes a row, restarts the server on
// the same data dir and reads the row back: the folder is reused, not
// re-initialized.
func TestStartStopPersist(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dataDir := filepath.Join(baseDir(t), "nested", "data")

	s := startServer(t, dataDir)
	if s.Port() == 0 {
		t.Fatal("Port() = 0")
	}
	want := fmt.Sprintf("host=127.0.0.1 port=%d user=postgres dbname=app sslmode=disable", s.Port())
	if got := s.DSN("app"); got != want {
		t.Fatalf("DSN = %q, want %q", got, want)
	}

	var one int
	if err := open(t, s.DSN("postgres")).QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1 = %d, %v", one, err)
	}
	for range 2 { // the second call finds the database
		if err := EnsureDatabase(ctx, s, "app"); err != nil {
			t.Fatalf("EnsureDatabase: %v", err)
		}
	}
	db := open(t, s.DSN("app"))
	if _, err := db.ExecContext(ctx, "CREATE TABLE kv (v text); INSERT INTO kv VALUES ('kept')"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	t.Run("data dir in use", func(t *testing.T) {
		_, err := Start(ctx, Options{DataDir: dataDir, Fast: true})
		if err == nil || !strings.Contains(err.Error(), "in use by pid") {
			t.Fatalf("second Start on a running data dir: err = %v, want 'in use by pid'", err)
		}
	})

	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("postmaster.pid after Stop: %v", err)
	}

	s2 := startServer(t, dataDir)
	var v string
	if err := open(t, s2.DSN("app")).QueryRowContext(ctx, "SELECT v FROM kv").Scan(&v); err != nil || v != "kept" {
		t.Fatalf("after restart: v = %q, %v", v, err)
	}
	if _, err := os.Stat(s2.LogPath()); err != nil {
		t.Fatalf("server log: %v", err)
	}
}

func TestNotADataDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(baseDir(t), "notpg")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	precious := filepath.Join(dir, "precious.txt")
	if err := os.WriteFile(precious, []byte("do not delete"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), Options{DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "not a PostgreSQL data directory") {
		t.Fatalf("err = %v, want 'not a PostgreSQL data directory'", err)
	}
	if _, err := os.Stat(precious); err != nil {
		t.Fatalf("existing file touched: %v", err)
	}
}

func TestFindBinDirMissing(t *testing.T) {
	none := func(string) (string, error) { return "", exec.ErrNotFound }
	_, err := binSearch{
		pgConfig: func() (string, error) { return "", exec.ErrNotFound },
		glob:     filepath.Join(t.TempDir(), "*", "bin"),
		lookPath: none,
	}.find()
	if !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("err = %v, want ErrNoBinaries", err)
	}
	for _, want := range []string{"not found", "apt-get install postgresql", "DATABASE_URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}

	_, err = binSearch{env: t.TempDir()}.find()
	if err == nil || !strings.Contains(err.Error(), "PG_BINDIR") {
		t.Fatalf("bad PG_BINDIR: err = %v", err)
	}
}

func TestFindBinDirHighestVersion(t *testing.T) {
	root := t.TempDir()
	mk := func(version string, names ...string) {
		dir := filepath.Join(root, version, "bin")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			if err := os.WriteFile(filepath.Join(dir, n), nil, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	mk("9.6", "postgres", "initdb")
	mk("15", "postgres", "initdb")
	mk("16", "psql") // client only
	got, err := binSearch{glob: filepath.Join(root, "*", "bin")}.find()
	if want := filepath.Join(root, "15", "bin"); err != nil || got != want {
		t.Fatalf("find = %q, %v; want %q", got, err, want)
	}
}

// TestParentDeath kills (SIGKILL) a process that started a server and checks
// that the server goes away on its own, thanks to the parent-death signal.
func TestParentDeath(t *testing.T) {
	if dir := os.Getenv("PGLOCAL_CHILD_DATADIR"); dir != "" {
		// Child: start a server, report its pid, and wait to be killed.
		s, err := Start(context.Background(), Options{DataDir: dir, Fast: true})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("pid", s.pid)
		select {}
	}
	t.Parallel()

	dataDir := filepath.Join(baseDir(t), "data")
	cmd := exec.Command(os.Args[0], "-test.run=^TestParentDeath$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PGLOCAL_CHILD_DATADIR="+dataDir)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "pid ") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child: %q, %v", line, err)
	}
	pgPid, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "pid ")))
	if !processAlive(pgPid) {
		t.Fatalf("postgres pid %d not running", pgPid)
	}

	cmd.Process.Kill()
	cmd.Wait()
	deadline := time.Now().Add(15 * time.Second)
	for processAlive(pgPid) {
		if time.Now().After(deadline) {
			syscall.Kill(pgPid, syscall.SIGKILL)
			t.Fatalf("postgres (pid %d) still running after its parent was killed", pgPid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestEarlyExitReportsLog makes postgres fail (its port is taken) and checks
// that Start reports the exit itself, with the server log's explanation,
// rather than waiting out its readiness timeout (whose error differs).
func TestEarlyExitReportsLog(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port

	_, err = Start(context.Background(), Options{DataDir: filepath.Join(baseDir(t), "data"), Port: port, Fast: true})
	if err == nil {
		t.Fatal("Start succeeded on a taken port")
	}
	if !strings.Contains(err.Error(), "exited during start-up") || !strings.Contains(err.Error(), "Address already in use") {
		t.Fatalf("err = %v; want the exit and the log tail", err)
	}
}

// TestUntraversableParent checks the error when, running as root, the data
// dir sits below a directory the server account cannot enter.
func TestUntraversableParent(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only relevant when running as root")
	}
	t.Parallel()
	private := t.TempDir() // created 0700 by the testing package
	if err := os.Chmod(private, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), Options{DataDir: filepath.Join(private, "data")})
	if err == nil || !strings.Contains(err.Error(), "not traversable") {
		t.Fatalf("err = %v, want 'not traversable'", err)
	}
}

// TestRootUnder0700FallsBack starts, as root, on a data dir below a 0700
// directory (a clone in root's home) with a FallbackRoot: the cluster goes to
// a stable folder below it that the server account can reach, and the next
// start from the same data dir finds the same cluster and its data.
func TestRootUnder0700FallsBack(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs PostgreSQL as another account, so only root can meet an unreachable data dir")
	}
	t.Parallel()
	ctx := context.Background()
	home := t.TempDir()
	if err := os.Chmod(home, 0o700); err != nil {
		t.Fatal(err)
	}
	requested := filepath.Join(home, "src", "hiregraph", ".data", "pg")
	fallback := filepath.Join(baseDir(t), "var-lib-hiregraph")

	want, err := ResolveDataDir(requested, fallback)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(want, fallback+string(filepath.Separator)) {
		t.Fatalf("ResolveDataDir = %s, want a folder below %s", want, fallback)
	}
	if again, _ := ResolveDataDir(requested, fallback); again != want {
		t.Fatalf("ResolveDataDir is not stable: %s then %s", want, again)
	}
	if other, _ := ResolveDataDir(filepath.Join(home, "other", ".data", "pg"), fallback); other == want {
		t.Fatalf("two checkouts share %s", other)
	}
	source, err := os.ReadFile(filepath.Join(filepath.Dir(want), "SOURCE"))
	if err != nil || !strings.Contains(string(source), requested) {
		t.Fatalf("SOURCE next to the cluster should name %s: %q, %v", requested, source, err)
	}

	s, err := Start(ctx, Options{DataDir: requested, FallbackRoot: fallback, Fast: true})
	if err != nil {
		t.Fatalf("Start below a 0700 directory: %v", err)
	}
	t.Cleanup(func() { s.Stop() })
	if s.DataDir() != want {
		t.Fatalf("DataDir = %s, want %s", s.DataDir(), want)
	}
	if err := EnsureDatabase(ctx, s, "app"); err != nil {
		t.Fatal(err)
	}
	db := open(t, s.DSN("app"))
	if _, err := db.ExecContext(ctx, "CREATE TABLE kv (v text); INSERT INTO kv VALUES ('kept')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}

	s2, err := Start(ctx, Options{DataDir: requested, FallbackRoot: fallback, Fast: true})
	if err != nil {
		t.Fatalf("second Start: %v", err)
	}
	t.Cleanup(func() { s2.Stop() })
	var v string
	if err := open(t, s2.DSN("app")).QueryRowContext(ctx, "SELECT v FROM kv").Scan(&v); err != nil || v != "kept" {
		t.Fatalf("after restart: v = %q, %v", v, err)
	}
	if _, err := os.Stat(requested); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("nothing should be created at the unreachable %s: %v", requested, err)
	}
}
