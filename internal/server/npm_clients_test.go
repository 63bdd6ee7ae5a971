package server_test

import (
	"github.com/hiregraph/hiregraph/internal/wstest"

	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// npmClientsDir holds the npm clients' scripts, package.json and lockfile
// (relative to this package, the tests' working directory).
const npmClientsDir = "../../testdata/realtime-clients"

// npmInstalls holds one *npmOnce per folder.
var npmInstalls sync.Map

type npmOnce struct {
	once sync.Once
	err  error
}

// npmInstall runs `npm ci` in dir once per test process, unless node_modules
// already holds exactly what the lockfile says.
func npmInstall(npm, dir string) error {
	v, _ := npmInstalls.LoadOrStore(dir, &npmOnce{})
	o := v.(*npmOnce)
	o.once.Do(func() {
		if npmInstalled(dir) {
			return
		}
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			o.err = fmt.Errorf("npm ci in %s: %v\n%s", dir, err, out)
		}
	})
	return o.err
}

// nodeProject prepares the npm project in dir (relative to this package)
// for a test that runs its scripts: it finds node and npm (the test is
// skipped without them, or fails under HIREGRAPH_REQUIRE_TOOLS=1), installs
// the project from its lockfile once, and returns node's path and the
// project's absolute path. what names the tests in the skip message.
func nodeProject(t *testing.T, dir, what string) (node, absDir string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		skipUnlessRequired(t, "node is not installed: skipping "+what+" (install Node.js 20+ and npm to run them)")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		skipUnlessRequired(t, "npm is not installed: skipping "+what+" (install Node.js 20+ and npm to run them)")
	}
	absDir, err = filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := npmInstall(npm, absDir); err != nil {
		t.Fatal(err)
	}
	return node, absDir
}

// npmInstalled reports whether node_modules matches package-lock.json: npm
// writes node_modules/.package-lock.json at the end of an install, so a
// missing, interrupted or outdated install reads as not installed.
func npmInstalled(dir string) bool {
	type lock struct {
		Packages map[string]struct{ Version, Integrity string } `json:"packages"`
	}
	read := func(name string) (lock, bool) {
		var l lock
		b, err := os.ReadFile(filepath.Join(dir, name))
		return l, err == nil && json.Unmarshal(b, &l) == nil
	}
	want, ok1 := read("package-lock.json")
	have, ok2 := read(filepath.Join("node_modules", ".package-lock.json"))
	if !ok1 || !ok2 {
		return false
	}
	for name, p := range want.Packages {
		if name != "" && have.Packages[name] != p {
			return false
		}
	}
	return true
}

// TestNPMClients: issue 4, acceptance 4. Real npm clients, the graphql-ws
// library (graphql-transport-ws) and the legacy subscriptions-transport-ws
// library (graphql-ws), installed from the committed lockfile, subscribe to
// the freelancer's bell and invitation stream and receive a new invitation.
//
// The script (testdata/realtime-clients/bell.mjs) cannot be given the
// invitation's id, which exists only once the test invites; it is given the
// invited job's unique title instead. It takes the id of the invitation for
// that job from invitationReceived, and waits for an INVITATION_RECEIVED
// notification about that id on notificationReceived, in either order. It
// prints every event as a JSON line, READY once connected (the test invites
// only once both subscriptions are open on the server), and `OK <id>`
// before exiting 0. The test then checks the lines itself: subscriptions
// without `after` start live, so each stream delivers only the new
// invitation, with the id the mutation returned.
func TestNPMClients(t *testing.T) {
	node, dir := nodeProject(t, npmClientsDir, "the npm client tests")
	for _, proto := range wstest.Protocols {
		t.Run(proto, func(t *testing.T) {
			a := newApp(t)
			client := a.login(hiring.DemoClient)
			fr := a.login(hiring.DemoFreelancer)
			frID := a.viewerID(fr)
			title := "NPM live job " + proto

			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			wsURL := "ws" + strings.TrimPrefix(a.URL, "http") + "/query"
			cmd := exec.CommandContext(ctx, node, "bell.mjs", wsURL, fr, proto, title, "20")
			cmd.Dir = dir
			cmd.WaitDelay = 5 * time.Second
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatalf("start node: %v", err)
			}
			lines := make(chan string, 100)
			go func() {
				defer close(lines)
				sc := bufio.NewScanner(stdout)
				sc.Buffer(make([]byte, 64*1024), 1024*1024)
				for sc.Scan() {
					lines <- sc.Text()
				}
			}()
			var out []string
			// report finishes the script (if still running) and fails with its output.
			report := func(format string, args ...any) {
				t.Helper()
				cancel()
				for l := range lines {
					out = append(out, l)
				}
				_ = cmd.Wait()
				t.Fatalf("%s\nscript stdout:\n%s\nscript stderr:\n%s", fmt.Sprintf(format, args...), strings.Join(out, "\n"), stderr.String())
			}

			// Wait for READY, then invite.
			for ready := false; !ready; {
				select {
				case l, ok := <-lines:
					if !ok {
						report("the script ended before READY")
					}
					out = append(out, l)
					ready = l == "READY"
				case <-ctx.Done():
					report("no READY from the script")
				}
			}
			a.waitSubscribed(2) // both streams live on the server
			invID := a.postAndInvite(client, title, frID)
			for l := range lines {
				out = append(out, l)
			}
			if err := cmd.Wait(); err != nil {
				report("the script failed: %v", err)
			}
			if last := out[len(out)-1]; last != "OK "+invID {
				report("the script's last line: %q, want %q", last, "OK "+invID)
			}

			// Each stream: only the new invitation (live, no history).
			events := map[string][]map[string]any{}
			for _, l := range out {
				if !strings.HasPrefix(l, "{") {
					continue
				}
				var e struct {
					Stream string
					Data   map[string]any
				}
				if err := json.Unmarshal([]byte(l), &e); err != nil {
					report("bad event line %q: %v", l, err)
				}
				events[e.Stream] = append(events[e.Stream], e.Data)
			}
			inv, bell := events["invitationReceived"], events["notificationReceived"]
			if len(inv) != 1 || len(bell) != 1 {
				report("want only the new event on each stream, got %d invitations and %d notifications", len(inv), len(bell))
			}
			if e := inv[0]; str(path(e, "invitationReceived", "invitation", "id")) != invID ||
				path(e, "invitationReceived", "invitation", "job", "title") != title ||
				path(e, "invitationReceived", "cursor") == nil {
				report("invitationReceived: %v", e)
			}
			if e := bell[0]; path(e, "notificationReceived", "notification", "kind") != "INVITATION_RECEIVED" ||
				path(e, "notificationReceived", "notification", "subject", "__typename") != "Invitation" ||
				str(path(e, "notificationReceived", "notification", "subject", "id")) != invID ||
				!strings.Contains(str(path(e, "notificationReceived", "notification", "title")), title) ||
				path(e, "notificationReceived", "unreadCount") != float64(4) {
				report("notificationReceived: %v", e)
			}
			t.Logf("script output:\n%s", strings.Join(out, "\n"))
		})
	}
}
