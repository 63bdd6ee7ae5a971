package server_test

import (
	"context"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// chromium returns the path of a Chromium binary, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	skipUnlessRequired(t, "no Chromium on this machine (Debian: apt-get install chromium); .ci/run installs it")
	return ""
}

// TestGraphiQLInChromium opens GraphiQL in headless Chromium with every
// host but the server unreachable, runs a query and a subscription, and
// reads the results off the page. Every request the page makes must go to
// the server itself: GraphiQL is served from the binary.
func TestGraphiQLInChromium(t *testing.T) {
	bin := chromium(t)
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	a.Server.SetGraphiQLHeaders(func() map[string]string { return map[string]string{"Authorization": "Bearer " + fr} })
	server, _ := url.Parse(a.URL)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Nothing but the test server resolves.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE "+server.Hostname()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	var mu sync.Mutex
	var foreign []string
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			u, err := url.Parse(e.Request.URL)
			if err == nil && u.Host != server.Host && u.Scheme != "data" {
				mu.Lock()
				foreign = append(foreign, e.Request.URL)
				mu.Unlock()
			}
		}
	})

	const editor = `document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror`
	const response = `(document.querySelector('.graphiql-response .CodeMirror') || {CodeMirror: {getValue: () => ''}}).CodeMirror.getValue()`
	// waitFor reads the response pane until it contains want. (A Go loop
	// rather than chromedp.Poll: Poll's in-page polling held back GraphiQL's
	// rendering of a burst of subscription events.)
	waitFor := func(want string) string {
		t.Helper()
		var out string
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			if err := chromedp.Run(ctx, chromedp.Evaluate(response, &out)); err != nil {
				t.Fatalf("read the response pane: %v", err)
			}
			if strings.Contains(out, want) {
				return out
			}
		}
		t.Fatalf("the response pane never showed %q; it shows %q", want, out)
		return ""
	}
	start := func(query string) {
		t.Helper()
		if err := chromedp.Run(ctx,
			chromedp.Evaluate(editor+`.setValue(`+jsString(query)+`)`, nil),
			chromedp.Click(`.graphiql-execute-button`, chromedp.ByQuery),
		); err != nil {
			t.Fatalf("running %q: %v", query, err)
		}
	}
	run := func(query, want string) string {
		t.Helper()
		start(query)
		return waitFor(want)
	}

	if err := chromedp.Run(ctx,
		network.Enable(),
		chromedp.Navigate(a.URL+"/"),
		chromedp.WaitVisible(`.graphiql-execute-button`, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("open GraphiQL: %v", err)
	}

	// The page opens on the examples, saying whose token is prefilled.
	var first string
	var tabs int
	if err := chromedp.Run(ctx, chromedp.Evaluate(editor+`.getValue()`, &first),
		chromedp.Evaluate(`document.querySelectorAll('.graphiql-tab').length`, &tabs)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first, "query MyInvitations") || !strings.Contains(first, "holds a bearer token") || tabs != 3 {
		t.Errorf("the first tab (of %d): %q", tabs, first)
	}

	// A subscription (live: no history), then an invitation arrives.
	start(`subscription { notificationReceived { unreadCount notification { kind title } } }`)
	a.waitSubscribed(1)
	client := a.login(hiring.DemoClient)
	var job struct {
		PostJob struct{ Job struct{ ID string } }
	}
	a.ok(client, `mutation { postJob(input: {title: "Seen in GraphiQL", description: "Live", contractType: FIXED, budget: {amount: "300"}, connectsRequired: 1}) { job { id } } }`, nil, &job)
	a.ok(client, `mutation($j: ID!, $f: ID!) { inviteFreelancer(input: {jobId: $j, freelancerId: $f}) { invitation { id } } }`,
		map[string]any{"j": job.PostJob.Job.ID, "f": a.viewerID(fr)}, nil)
	live := waitFor("Seen in GraphiQL")
	if !strings.Contains(live, `"unreadCount": 4`) || !strings.Contains(live, "INVITATION_RECEIVED") {
		t.Errorf("live result: %s", live)
	}

	// A query, with the demo user's token the page starts with. While a
	// subscription runs, the execute button stops it: stop first.
	if err := chromedp.Run(ctx, chromedp.Click(`.graphiql-execute-button`, chromedp.ByQuery)); err != nil {
		t.Fatalf("stop the subscription: %v", err)
	}
	out := run(`{ viewer { name connectsBalance } }`, "Frankie Freelancer")
	if !strings.Contains(out, `"connectsBalance": 80`) {
		t.Errorf("query result: %s", out)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(foreign) > 0 {
		t.Errorf("the page requested other hosts: %v", foreign)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`)
	return "'" + r.Replace(s) + "'"
}
