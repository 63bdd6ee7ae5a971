// Package pglocal runs a private PostgreSQL server from the locally installed
// binaries, for development (a persistent data folder) and for tests (a
// throwaway one). See DESIGN.md, "Local PostgreSQL (pglocal)".
//
// The server is the `postgres` binary started directly, not through pg_ctl,
// as a child of this process with a parent-death signal: if the Go process is
// killed, even with SIGKILL, the kernel sends the server SIGINT (PostgreSQL's
// "fast shutdown") and no server is left behind.
package pglocal

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/lib/pq"
)

// Options configures Start.
type Options struct {
	// DataDir is the data folder. It is created with initdb if it does not
	// exist (or is empty) and is never re-initialized if it exists; an
	// existing non-empty folder without PG_VERSION is an error.
	DataDir string
	// BinDir holds the postgres and initdb executables; empty means
	// FindBinDir.
	BinDir string
	// Port is the TCP port on 127.0.0.1; 0 picks a free one.
	Port int
	// Logger receives pglocal's own messages; nil discards them. The
	// server's output goes to DataDir/postgres.log (the previous run's log is
	// kept as postgres.log.1).
	Logger *slog.Logger
	// FallbackRoot, when set, is where the cluster goes if DataDir cannot
	// be used: running as root (PostgreSQL then runs as the unprivileged
	// `postgres` account) with DataDir below a directory that account cannot
	// enter, such as a clone in root's 0700 home. The cluster is then kept in
	// FallbackRoot/<hash of DataDir's absolute path>/pg, the same folder on
	// every run from the same DataDir, so its data is kept between runs (see
	// ResolveDataDir). Empty: such a DataDir is an error.
	FallbackRoot string
	// Fast trades durability for speed (fsync, synchronous_commit and
	// full_page_writes off, initdb without syncing): right for throwaway test
	// servers, wrong for a data folder whose contents matter, since a crash
	// of the machine can corrupt it.
	Fast bool
}

// Server is a running PostgreSQL server started by Start.
type Server struct {
	dataDir string
	port    int
	pid     int
	log     *slog.Logger
	logPath string
	logFile *os.File

	done    chan struct{} // closed when the server process has exited
	waitErr error         // cmd.Wait's result; read only after done is closed

	stopOnce sync.Once
	stopErr  error

	attached bool // started by another process: Stop leaves it running

	// What Restart needs to start the same server again.
	binDir string
	acct   account
	fast   bool
}

// ErrInUse is returned (wrapped) by Start when a live PostgreSQL server,
// started by another process, already runs on the data directory.
var ErrInUse = errors.New("data dir in use by a running server")

// Attach returns a handle on the server another process runs on dataDir
// (for example a running hiregraph, so that "server token" works beside it),
// read from its postmaster.pid. Stop on it does nothing.
func Attach(dataDir string) (*Server, error) {
	dataDir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("pglocal: %w", err)
	}
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return nil, fmt.Errorf("pglocal: no running server on %s: %w", dataDir, err)
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 8 || strings.TrimSpace(lines[7]) != "ready" {
		return nil, fmt.Errorf("pglocal: the server on %s is not ready", dataDir)
	}
	pid, err1 := strconv.Atoi(strings.TrimSpace(lines[0]))
	port, err2 := strconv.Atoi(strings.TrimSpace(lines[3]))
	if err1 != nil || err2 != nil || !processAlive(pid) {
		return nil, fmt.Errorf("pglocal: no running server on %s", dataDir)
	}
	return &Server{dataDir: dataDir, port: port, pid: pid, attached: true, log: slog.New(slog.DiscardHandler)}, nil
}

const (
	// readyTimeout bounds how long Start waits for the server to accept
	// connections; a cold start takes well under a second.
	readyTimeout = 30 * time.Second
	// stopTimeout bounds a fast shutdown before escalating.
	stopTimeout = 30 * time.Second
	// maxConnections is above PostgreSQL's default of 100 because test
	// processes open a pool per test database.
	maxConnections = 200
	// logName is the server's log file inside the data directory.
	logName = "postgres.log"
)

// Start starts a PostgreSQL server on opt.DataDir, initializing the folder
// first if needed, and returns once the server accepts connections. ctx only
// bounds the start-up; stop the server with Stop.
func Start(ctx context.Context, opt Options) (*Server, error) {
	if opt.DataDir == "" {
		return nil, errors.New("pglocal: Options.DataDir is required")
	}
	dataDir, err := filepath.Abs(opt.DataDir)
	if err != nil {
		return nil, fmt.Errorf("pglocal: %w", err)
	}
	logger := opt.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	binDir := opt.BinDir
	if binDir == "" {
		if binDir, err = FindBinDir(); err != nil {
			return nil, err
		}
	} else if !hasServerBinaries(binDir) {
		return nil, fmt.Errorf("pglocal: BinDir %s does not contain the postgres and initdb executables", binDir)
	}

	acct, err := runAccount()
	if err != nil {
		return nil, err
	}
	if opt.FallbackRoot != "" {
		requested := dataDir
		if dataDir, err = resolveDataDir(dataDir, opt.FallbackRoot, acct); err != nil {
			return nil, err
		}
		if dataDir != requested {
			logger.Info("pglocal: the data dir is out of the server account's reach; using a folder it can reach",
				"requested", requested, "dir", dataDir, "user", acct.name)
		}
	}
	needInit, err := prepareDataDir(dataDir, acct)
	if err != nil {
		return nil, err
	}
	if needInit {
		logger.Info("pglocal: initializing data dir", "dir", dataDir, "user", acct.name)
		if err := initdb(ctx, binDir, dataDir, acct, opt.Fast); err != nil {
			return nil, err
		}
	}
	if err := checkNotInUse(dataDir, acct, logger.Warn); err != nil {
		return nil, err
	}

	// With Port 0 the port is picked by binding and releasing it, so another
	// process can take it before postgres binds it; retry with a new port
	// when that happens.
	attempts := 1
	if opt.Port == 0 {
		attempts = 3
	}
	for i := 1; ; i++ {
		port := opt.Port
		if port == 0 {
			if port, err = freePort(); err != nil {
				return nil, err
			}
		}
		s, err := start(ctx, binDir, dataDir, port, acct, opt.Fast, logger)
		if err == nil {
			logger.Info("pglocal: postgres ready", "dir", dataDir, "port", port, "pid", s.pid)
			return s, nil
		}
		if i >= attempts || !errors.As(err, new(portInUseError)) {
			return nil, err
		}
		logger.Warn("pglocal: port taken, retrying", "port", port)
	}
}

// Exited is closed when the server process has exited, on its own (a
// crash, a kill) or through Stop. (Never closed for an attached server.)
func (s *Server) Exited() <-chan struct{} {
	if s.attached {
		return nil
	}
	return s.done
}

// PID is the postmaster's process id.
func (s *Server) PID() int { return s.pid }

// Restart starts the server again, on the same data directory and port,
// after it exited on its own: PostgreSQL replays its write-ahead log, so
// every committed transaction is kept. Backends of a killed postmaster take
// a moment to notice and exit (until then the new one refuses to start), so
// it tries for up to restartTimeout. The returned Server replaces s.
func (s *Server) Restart(ctx context.Context) (*Server, error) {
	if s.attached {
		return nil, errors.New("pglocal: an attached server is not ours to restart")
	}
	select {
	case <-s.done:
	default:
		return nil, errors.New("pglocal: the server is still running")
	}
	s.stopOnce.Do(func() { s.logFile.Close() })
	ctx, cancel := context.WithTimeout(ctx, restartTimeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		next, err := start(ctx, s.binDir, s.dataDir, s.port, s.acct, s.fast, s.log)
		if err == nil {
			s.log.Info("pglocal: postgres restarted", "dir", s.dataDir, "port", s.port, "pid", next.pid, "attempt", attempt)
			return next, nil
		}
		s.log.Warn("pglocal: restart failed, retrying", "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("pglocal: could not restart postgres on %s: %w", s.dataDir, err)
		case <-time.After(time.Duration(min(attempt, 10)) * 200 * time.Millisecond):
		}
	}
}

// restartTimeout bounds Restart's attempts.
const restartTimeout = time.Minute

// DSN returns a lib/pq key=value connection string for database dbname.
func (s *Server) DSN(dbname string) string {
	return fmt.Sprintf("host=127.0.0.1 port=%d user=postgres dbname=%s sslmode=disable", s.port, quoteDSNValue(dbname))
}

// Port returns the TCP port the server listens on (on 127.0.0.1).
func (s *Server) Port() int { return s.port }

// DataDir returns the absolute path of the data directory.
func (s *Server) DataDir() string { return s.dataDir }

// LogPath returns the path of the server's log file.
func (s *Server) LogPath() string { return s.logPath }

// Stop shuts the server down with a fast shutdown (SIGINT: roll back open
// transactions, disconnect clients, checkpoint) and waits for it to exit,
// escalating to an immediate shutdown (SIGQUIT) and then SIGKILL if it does
// not. It is safe to call more than once. It reports an error if the server
// had already died on its own.
func (s *Server) Stop() error {
	if s.attached {
		return nil
	}
	s.stopOnce.Do(func() {
		select {
		case <-s.done:
			// Exited before we asked: that is a failure worth reporting.
			s.stopErr = fmt.Errorf("pglocal: postgres had already exited: %v%s", s.waitErr, s.logTail())
		default:
			s.stopErr = s.shutdown()
		}
		s.logFile.Close()
		s.log.Info("pglocal: postgres stopped", "dir", s.dataDir)
	})
	return s.stopErr
}

// shutdown signals the server and waits, escalating on timeout.
func (s *Server) shutdown() error {
	for _, step := range []struct {
		sig     syscall.Signal
		timeout time.Duration
	}{
		{syscall.SIGINT, stopTimeout},  // fast shutdown
		{syscall.SIGQUIT, stopTimeout}, // immediate shutdown (crash recovery on next start)
		{syscall.SIGKILL, stopTimeout},
	} {
		if err := syscall.Kill(s.pid, step.sig); err != nil && !errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("pglocal: signal postgres (pid %d): %w", s.pid, err)
		}
		select {
		case <-s.done:
			if s.waitErr != nil && step.sig == syscall.SIGINT {
				return fmt.Errorf("pglocal: postgres exited with %v%s", s.waitErr, s.logTail())
			}
			return nil
		case <-time.After(step.timeout):
			s.log.Warn("pglocal: postgres did not stop in time, escalating", "pid", s.pid, "signal", step.sig)
		}
	}
	return fmt.Errorf("pglocal: postgres (pid %d) did not exit", s.pid)
}

// EnsureDatabase creates database name on s unless it already exists.
func EnsureDatabase(ctx context.Context, s *Server, name string) error {
	if name == "" {
		return errors.New("pglocal: empty database name")
	}
	db, err := sql.Open("postgres", s.DSN("postgres"))
	if err != nil {
		return fmt.Errorf("pglocal: %w", err)
	}
	defer db.Close()

	var exists bool
	if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("pglocal: look up database %q: %w", name, err)
	}
	if exists {
		return nil
	}
	// CREATE DATABASE takes no parameters, hence the quoting.
	_, err = db.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name))
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "42P04" { // duplicate_database: a concurrent caller won
		return nil
	}
	if err != nil {
		return fmt.Errorf("pglocal: create database %q: %w", name, err)
	}
	return nil
}

// initdb creates a new cluster in dataDir.
func initdb(ctx context.Context, binDir, dataDir string, acct account, fast bool) error {
	args := []string{
		"-D", dataDir,
		"-U", "postgres",
		"--auth=trust", // only reachable from 127.0.0.1 and our own socket dir
		"-E", "UTF8",
		"--locale=C",
	}
	if fast {
		args = append(args, "--no-sync")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "initdb"), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Dir = dataDir // our own cwd may not be readable by acct (e.g. /root)
	cmd.Env = childEnv(dataDir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: acct.cred, Pdeathsig: syscall.SIGKILL}
	// Pdeathsig fires when the forking thread exits; keep initdb's parent
	// thread ours until it has finished.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pglocal: initdb %s failed: %w\n%s", dataDir, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// portInUseError marks a start that failed because the TCP port was taken,
// which Start retries when it picked the port itself.
type portInUseError struct{ error }

func (e portInUseError) Unwrap() error { return e.error }

// start launches postgres on dataDir and waits until it is ready.
func start(ctx context.Context, binDir, dataDir string, port int, acct account, fast bool, logger *slog.Logger) (*Server, error) {
	logPath := filepath.Join(dataDir, logName)
	// Keep one previous log: enough to see why the last run ended, without
	// growing forever in a long-lived dev data folder.
	_ = os.Rename(logPath, logPath+".1")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("pglocal: open server log: %w", err)
	}

	args := []string{
		"-D", dataDir,
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=" + socketDir(dataDir),
		"-c", "max_connections=" + strconv.Itoa(maxConnections),
	}
	if fast {
		args = append(args,
			"-c", "fsync=off",
			"-c", "synchronous_commit=off",
			"-c", "full_page_writes=off",
		)
	}
	// Not exec.CommandContext: ctx bounds the start-up only, while the
	// server lives until Stop (or until this process dies).
	cmd := exec.Command(filepath.Join(binDir, "postgres"), args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Dir = dataDir
	cmd.Env = childEnv(dataDir)
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: acct.cred,
		// SIGINT is PostgreSQL's fast shutdown. No Setpgid: the server stays
		// in our process group so that a terminal's Ctrl-C reaches it too.
		Pdeathsig: syscall.SIGINT,
	}

	s := &Server{
		dataDir: dataDir,
		port:    port,
		log:     logger,
		logPath: logPath,
		logFile: logFile,
		done:    make(chan struct{}),
		binDir:  binDir,
		acct:    acct,
		fast:    fast,
	}
	if err := s.spawn(cmd); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("pglocal: start postgres: %w", err)
	}
	if err := s.waitReady(ctx); err != nil {
		s.kill()
		logFile.Close()
		return nil, err
	}
	return s, nil
}

// spawn starts cmd from a goroutine locked to its OS thread, which then waits
// for the process for its whole life.
//
// The kernel delivers the parent-death signal when the *thread* that forked
// the child exits, not when the process does. Go may retire an OS thread when
// a goroutine that locked it exits, so a server started from an arbitrary
// goroutine could receive SIGINT in the middle of a test. Here the forking
// thread belongs to this goroutine alone and stays blocked in cmd.Wait until
// the server exits; only then is the thread released (the goroutine returns
// still locked, so the runtime discards the thread, which is harmless).
func (s *Server) spawn(cmd *exec.Cmd) error {
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		s.pid = cmd.Process.Pid
		started <- nil
		s.waitErr = cmd.Wait()
		close(s.done)
	}()
	return <-started
}

// waitReady polls until postmaster.pid, written by our process, says "ready"
// and the TCP port accepts connections.
func (s *Server) waitReady(ctx context.Context) error {
	deadline := time.NewTimer(readyTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-s.done:
			tail := s.logTail()
			err := fmt.Errorf("pglocal: postgres exited during start-up (%v)%s", s.waitErr, tail)
			if strings.Contains(tail, "could not create any TCP/IP sockets") {
				err = portInUseError{err}
			}
			return err
		case <-ctx.Done():
			return fmt.Errorf("pglocal: waiting for postgres: %w", ctx.Err())
		case <-deadline.C:
			return fmt.Errorf("pglocal: postgres not ready after %v%s", readyTimeout, s.logTail())
		case <-tick.C:
			if s.pidFileReady() && s.acceptsTCP() {
				return nil
			}
		}
	}
}

// pidFileReady reports whether postmaster.pid belongs to our process and its
// status line (the 8th) says "ready". Checking the pid matters: a server
// killed with SIGKILL leaves a pid file that still says "ready".
func (s *Server) pidFileReady() bool {
	data, err := os.ReadFile(filepath.Join(s.dataDir, "postmaster.pid"))
	if err != nil {
		return false
	}
	lines := strings.Split(string(data), "\n")
	if len(lines) < 8 || strings.TrimSpace(lines[0]) != strconv.Itoa(s.pid) {
		return false
	}
	return strings.TrimSpace(lines[7]) == "ready"
}

func (s *Server) acceptsTCP() bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// kill stops a server that failed to start, without ceremony.
func (s *Server) kill() {
	_ = syscall.Kill(s.pid, syscall.SIGQUIT)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(s.pid, syscall.SIGKILL)
		<-s.done
	}
}

// logTail returns the end of the server log, formatted to append to an error.
func (s *Server) logTail() string {
	const maxBytes = 4 << 10
	f, err := os.Open(s.logPath)
	if err != nil {
		return ""
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > maxBytes {
		_, _ = f.Seek(-maxBytes, io.SeekEnd)
	}
	data, _ := io.ReadAll(f)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	if len(lines) == 1 && lines[0] == "" {
		return ""
	}
	return fmt.Sprintf("\n--- tail of %s ---\n%s", s.logPath, strings.Join(lines, "\n"))
}

// freePort asks the kernel for a free port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pglocal: pick a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// socketDir returns the value for unix_socket_directories: the data directory
// itself, so the server never competes with a system server for
// /var/run/postgresql, unless the socket path would exceed the kernel's
// 108-byte limit, in which case Unix sockets are disabled (clients use TCP).
func socketDir(dataDir string) string {
	const sunPathMax = 107 // sizeof(sun_path) minus the terminating NUL
	if len(dataDir)+len("/.s.PGSQL.65535") > sunPathMax || strings.ContainsAny(dataDir, `",`) {
		return ""
	}
	return `"` + dataDir + `"` // quoted: the setting is a comma-separated list
}

// childEnv is the environment for initdb and postgres: ours, with HOME set to
// somewhere the unprivileged account can use and a fixed message locale so
// that the log reads the same everywhere.
func childEnv(dataDir string) []string {
	env := make([]string, 0, len(os.Environ())+2)
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "HOME", "LC_ALL", "PGDATA", "PGPORT":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+dataDir, "LC_ALL=C")
}

// quoteDSNValue quotes v for a key=value connection string when needed.
func quoteDSNValue(v string) string {
	if v != "" && !strings.ContainsAny(v, ` '\`) {
		return v
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}
