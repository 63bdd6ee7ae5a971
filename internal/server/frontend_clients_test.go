package server_test

import (
	"bufio"
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// Issue 10, acceptance 2: the clients single-page apps use, from npm,
// installed from the committed lockfile in testdata/frontend-clients:
// Apollo Client 4, urql with graphcache, and relay-compiler with
// relay-runtime. Each script prints "INVITE <title>" when the test should
// invite the demo freelancer to a new job (once the script's subscription
// is open on the server), and ends with "OK ..." (exit 0) or "FAIL <why>".

const frontendClientsDir = "../../testdata/frontend-clients"

func TestFrontendClients(t *testing.T) {
	node, dir := nodeProject(t, frontendClientsDir, "the frontend client tests")
	for _, script := range []string{"apollo.mjs", "urql.mjs", "relay.mjs"} {
		t.Run(strings.TrimSuffix(script, ".mjs"), func(t *testing.T) {
			a := newApp(t)
			client, fr := a.login(hiring.DemoClient), a.login(hiring.DemoFreelancer)
			frID := a.viewerID(fr)
			ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, node, script, a.URL+"/query", fr, t.TempDir())
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
			var out []string
			sc := bufio.NewScanner(stdout)
			sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
			for sc.Scan() {
				line := sc.Text()
				out = append(out, line)
				if title, ok := strings.CutPrefix(line, "INVITE "); ok {
					a.waitSubscribed(1)
					a.postAndInvite(client, title, frID)
				}
			}
			err = cmd.Wait()
			last := ""
			if len(out) > 0 {
				last = out[len(out)-1]
			}
			if err != nil || !strings.HasPrefix(last, "OK") {
				t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", script, err, strings.Join(out, "\n"), stderr.String())
			}
			t.Logf("%s: %s", script, last)
		})
	}
}
