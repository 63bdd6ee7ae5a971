package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/pglocal"
	"github.com/hiregraph/hiregraph/internal/wstest"
)

// These tests run the real binary the way the README does, with nothing but
// a data folder: the private PostgreSQL, migrations, demo data, the HTTP
// server, a restart that keeps every change, and no server left behind.

// built is the server binary, compiled once per test process (TestMain
// removes it).
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
	out  []byte
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

func buildServer(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "hiregraph-server-test-")
		if built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "server")
		built.out, built.err = exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type process struct {
	cmd    *exec.Cmd
	out    *output
	exited chan struct{}
	err    error // cmd.Wait's result, once exited is closed
}

// output collects a process's stdout and stderr; it may be read while the
// process writes.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// wait waits for the process to exit and returns its result.
func (p *process) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-p.exited:
		return p.err
	case <-time.After(60 * time.Second):
		t.Fatalf("the server did not exit:\n%s", p.out)
		return nil
	}
}

// start runs the binary with env and waits until /healthz answers.
func start(t *testing.T, bin string, port int, env []string, args ...string) *process {
	t.Helper()
	return startIn(t, "", bin, port, env, args...)
}

// startIn is start in the working directory dir ("": the test's).
func startIn(t *testing.T, dir, bin string, port int, env []string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Env = append(cmd.Env, fmt.Sprintf("PORT=%d", port))
	var out output
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, out: &out, exited: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-p.exited })
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.exited:
			t.Fatalf("server exited during start-up (%v):\n%s", p.err, out.String())
		default:
		}
		res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/healthz", port))
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("server did not become healthy:\n%s", out.String())
	return nil
}

func gql(t *testing.T, port int, token, query string) map[string]any {
	t.Helper()
	return gqlVars(t, port, token, query, nil)
}

// gqlVars posts a GraphQL request and fails the test on any error.
func gqlVars(t *testing.T, port int, token, query string, vars map[string]any) map[string]any {
	t.Helper()
	data, err := post(http.DefaultClient, port, token, query, vars)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return data
}

// post sends a GraphQL request; it may be called from any goroutine. A
// response with errors is returned as a *gqlErrors.
func post(c *http.Client, port int, token, query string, vars map[string]any) (map[string]any, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("http://127.0.0.1:%d/query", port), bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		return nil, &httpStatusError{Code: res.StatusCode, Body: string(b)}
	}
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []gqlError     `json:"errors"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("decode the response: %w", err)
	}
	if len(out.Errors) > 0 {
		return out.Data, gqlErrors(out.Errors)
	}
	return out.Data, nil
}

// gqlError is one entry of a response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

type gqlErrors []gqlError

func (e gqlErrors) Error() string { return fmt.Sprintf("graphql errors: %+v", []gqlError(e)) }

// httpStatusError is a response whose status is not 200.
type httpStatusError struct {
	Code int
	Body string
}

func (e *httpStatusError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.Code, e.Body) }

// path digs a value out of decoded JSON: path(data, "a", "b").
var path = wstest.Path

var str = wstest.Str

func postmasterPID(t *testing.T, dataDir string) int {
	t.Helper()
	return postmasterPIDIn(t, filepath.Join(dataDir, "pg"))
}

// postmasterPIDIn reads the pid of the postgres running on the cluster pgDir.
func postmasterPIDIn(t *testing.T, pgDir string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(pgDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	return pid
}

func alive(pid int) bool { return pid > 0 && syscall.Kill(pid, 0) == nil }

func waitDead(t *testing.T, pid int) {
	t.Helper()
	for i := 0; i < 100 && alive(pid); i++ {
		time.Sleep(100 * time.Millisecond)
	}
	if alive(pid) {
		t.Fatalf("postgres (pid %d) is still running", pid)
	}
}

func TestRunKeepsDataAcrossRestarts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildServer(t)
	// The data folder's parents must be traversable by the account that runs
	// PostgreSQL when the tests run as root; t.TempDir makes them 0700.
	dataDir := t.TempDir()
	if err := os.Chmod(filepath.Dir(dataDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dataDir, 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"DATA_DIR=" + dataDir, "DATABASE_URL=", "TOKEN_SECRET=", "ENV=", "SEED="}
	port := freePort(t)

	p := start(t, bin, port, env)
	if !strings.Contains(p.out.String(), "GraphiQL: http://localhost:") || !strings.Contains(p.out.String(), "freelancer@hiregraph.test") {
		t.Errorf("the first start should print the GraphiQL address and the demo logins:\n%s", p.out)
	}
	res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/", port))
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GraphiQL: %v %v", err, res)
	}
	res.Body.Close()

	login := gql(t, port, "", `mutation { login(input: {email: "freelancer@hiregraph.test", password: "hiregraph-demo"}) { token } }`)
	token := login["login"].(map[string]any)["token"].(string)
	inv := gql(t, port, token, `{ invitations(filter: {status: PENDING}) { edges { node { id } } } }`)
	id := inv["invitations"].(map[string]any)["edges"].([]any)[0].(map[string]any)["node"].(map[string]any)["id"].(string)
	gql(t, port, token, fmt.Sprintf(`mutation { ignoreInvitation(input: {invitationId: %q}) { invitation { archived } } }`, id))

	// A script gets a token while the server runs on the same data folder.
	tokCmd := exec.Command(bin, "token", "client@hiregraph.test")
	tokCmd.Env = append(os.Environ(), env...)
	tokOut, err := tokCmd.Output()
	if err != nil {
		t.Fatalf("server token while serving: %v (%s)", err, err.(*exec.ExitError).Stderr)
	}
	gql(t, port, strings.TrimSpace(string(tokOut)), `{ viewer { name } }`)

	// SIGTERM: a clean exit that stops PostgreSQL too.
	pg := postmasterPID(t, dataDir)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(t); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, p.out)
	}
	waitDead(t, pg)

	// The second start keeps the change and does not load the demo data
	// twice. It logs JSON.
	p = start(t, bin, port, append(env, "LOG_FORMAT=json"))
	archived := gql(t, port, token, `{ invitations(filter: {archived: true}) { totalCount edges { node { id status } } } all: invitations { totalCount } }`)
	if got := archived["invitations"].(map[string]any); got["totalCount"].(float64) != 1 {
		t.Errorf("the ignored invitation should still be archived: %v", got)
	}
	if got := archived["all"].(map[string]any)["totalCount"].(float64); got != 3 {
		t.Errorf("want the 3 demo invitations once, got %v", got)
	}

	// Ready once the database and the event listener are up; metrics count
	// the operations so far.
	ready := false
	for i := 0; i < 100 && !ready; i++ {
		res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/readyz", port))
		if err == nil {
			res.Body.Close()
			ready = res.StatusCode == http.StatusOK
		}
		if !ready {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !ready {
		t.Errorf("/readyz never answered 200")
	}
	res, err = http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port))
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(metrics), `hiregraph_graphql_operations_total{operation="anonymous",type="query"} 1`) {
		t.Errorf("/metrics should count the query:\n%s", metrics)
	}

	// A killed server leaves no PostgreSQL behind.
	pg = postmasterPID(t, dataDir)
	if !alive(pg) {
		t.Fatalf("postgres should be running (pid %d)", pg)
	}
	_ = p.cmd.Process.Kill()
	_ = p.wait(t)
	waitDead(t, pg)

	// One JSON access-log line per request, with its request id.
	var logged bool
	for _, line := range strings.Split(p.out.String(), "\n") {
		var l map[string]any
		if json.Unmarshal([]byte(line), &l) == nil && l["msg"] == "request" && l["path"] == "/query" && l["request_id"] != nil {
			logged = true
		}
	}
	if !logged {
		t.Errorf("no JSON access-log line for /query in:\n%s", p.out)
	}
}

// TestRunAsRootUnder0700Home is the README's first command as root in a clone
// under root's 0700 home, with no setting: PostgreSQL runs as the `postgres`
// account, which cannot enter the clone, so the cluster is kept below
// /var/lib/hiregraph (one folder per checkout), the banner says where, and the
// next run finds its data there.
func TestRunAsRootUnder0700Home(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if os.Geteuid() != 0 {
		t.Skip("only root runs PostgreSQL as another account, so only root can meet an unreachable data dir")
	}
	bin := buildServer(t)
	home := t.TempDir()
	if err := os.Chmod(home, 0o700); err != nil {
		t.Fatal(err)
	}
	clone := filepath.Join(home, "hiregraph")
	if err := os.Mkdir(clone, 0o755); err != nil {
		t.Fatal(err)
	}
	// No setting: the defaults (DATA_DIR=./.data, the private PostgreSQL).
	env := []string{"DATA_DIR=", "DATABASE_URL=", "TOKEN_SECRET=", "ENV=", "SEED="}
	pgDir, err := pglocal.ResolveDataDir(filepath.Join(clone, ".data", "pg"), pglocal.DefaultFallbackRoot)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(pgDir, pglocal.DefaultFallbackRoot+"/") {
		t.Fatalf("the cluster of a clone under a 0700 home should go below %s, not %s", pglocal.DefaultFallbackRoot, pgDir)
	}
	t.Cleanup(func() { os.RemoveAll(filepath.Dir(pgDir)) })

	port := freePort(t)
	p := startIn(t, clone, bin, port, env)
	if want := "data in " + pgDir; !strings.Contains(p.out.String(), want) {
		t.Errorf("the banner should say %q:\n%s", want, p.out)
	}
	tokCmd := exec.Command(bin, "token", "client@hiregraph.test")
	tokCmd.Dir, tokCmd.Env = clone, append(os.Environ(), env...)
	tokOut, err := tokCmd.Output()
	if err != nil {
		t.Fatalf("server token while serving: %v (%s)", err, err.(*exec.ExitError).Stderr)
	}
	token := strings.TrimSpace(string(tokOut))
	gql(t, port, token, `mutation { postJob(input: {title: "Kept between runs", description: "d", skills: ["go"], contractType: FIXED, budget: {amount: "100.00"}, connectsRequired: 2}) { job { id } } }`)

	pg := postmasterPIDIn(t, pgDir)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(t); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, p.out)
	}
	waitDead(t, pg)

	p = startIn(t, clone, bin, port, env)
	jobs := gql(t, port, token, `{ jobs(first: 100) { edges { node { title } } } }`)
	if !strings.Contains(fmt.Sprint(jobs), "Kept between runs") {
		t.Errorf("the job posted in the first run is gone: %v", jobs)
	}
	pg = postmasterPIDIn(t, pgDir)
	_ = p.cmd.Process.Kill()
	_ = p.wait(t)
	waitDead(t, pg)
}
