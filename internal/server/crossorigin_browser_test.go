package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/server"
)

// Issue 10, acceptance 1: a single-page app served from another origin
// (another port), in Chromium, signs in, lists the invitations, subscribes to
// the bell from the list's newest cursor, receives an invitation sent
// meanwhile, marks it read and sees the count drop, with no error in the
// console. Under production settings, with its origin not allowed, the same
// page is refused.

// spaPage is the app: plain fetch and WebSocket (graphql-transport-ws), as
// any framework would do underneath. It reports its progress in #state and
// what it saw in #log.
const spaPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>bell</title><link rel="icon" href="data:,"></head>
<body>
<p>State: <span id="state">starting</span></p>
<p>Unread: <span id="count">?</span></p>
<p>Invitations: <span id="invitations"></span></p>
<p>Received: <span id="received"></span> (unread then: <span id="peak"></span>)</p>
<pre id="log"></pre>
<script>
const api = new URLSearchParams(location.search).get('api');
const state = (s) => { document.getElementById('state').textContent = s; };
const show = (id, v) => { document.getElementById(id).textContent = v; };
let token = null;

async function gql(query, variables) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(api + '/query', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function main() {
  const login = await gql('mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }',
    { e: 'freelancer@hiregraph.test', p: 'hiregraph-demo' });
  token = login.login.token;
  state('signed in');
  const first = await gql('{ viewer { id unreadNotificationCount } invitations(first: 20) { edges { cursor node { id job { title } } } } notifications(first: 20) { edges { cursor } } }');
  show('count', first.viewer.unreadNotificationCount);
  show('invitations', first.invitations.edges.map((e) => e.node.job.title).join(' | '));
  const after = first.notifications.edges.length ? first.notifications.edges[0].cursor : null;

  const ws = new WebSocket(api.replace(/^http/, 'ws') + '/query', 'graphql-transport-ws');
  ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: 'Bearer ' + token } }));
  ws.onerror = () => state('websocket error');
  ws.onmessage = async (m) => {
    const msg = JSON.parse(m.data);
    if (msg.type === 'connection_ack') {
      ws.send(JSON.stringify({ id: 'bell', type: 'subscribe', payload: {
        query: 'subscription($after: String) { notificationReceived(after: $after) { cursor notification { id kind title subject { ... on Invitation { id job { title } } } } viewer { id unreadNotificationCount } } }',
        variables: { after } } }));
      state('subscribed');
    } else if (msg.type === 'next') {
      const e = msg.payload.data.notificationReceived;
      show('received', e.notification.subject.job.title);
      show('count', e.viewer.unreadNotificationCount);
      show('peak', e.viewer.unreadNotificationCount);
      state('received');
      const read = await gql('mutation($ids: [ID!]) { markNotificationsRead(input: {ids: $ids}) { viewer { id unreadNotificationCount } } }', { ids: [e.notification.id] });
      show('count', read.markNotificationsRead.viewer.unreadNotificationCount);
      state('read');
    } else if (msg.type === 'error') {
      state('subscription error ' + JSON.stringify(msg.payload));
    }
  };
}
main().catch((err) => state('failed: ' + err.message));
</script>
</body></html>`

func TestCrossOriginAppInChromium(t *testing.T) {
	bin := chromium(t)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, spaPage)
	}))
	defer page.Close()

	t.Run("Allowed", func(t *testing.T) {
		// Development settings: any loopback origin may call the API.
		a := newApp(t, func(o *server.Options) { o.AllowedOrigins = server.DevelopmentOrigins })
		b := openBrowser(t, bin, page.URL+"/?api="+url.QueryEscape(a.URL))
		b.waitState("subscribed")
		if got := b.text("invitations"); !strings.Contains(got, "React dashboard") {
			t.Errorf("listed invitations: %q", got)
		}
		before := b.text("count")
		a.waitSubscribed(1)
		client := a.login(hiring.DemoClient)
		a.postAndInvite(client, "Sent while the page listens", a.viewerID(a.login(hiring.DemoFreelancer)))
		b.waitState("read")
		if got := b.text("received"); got != "Sent while the page listens" {
			t.Errorf("received: %q", got)
		}
		if before != "3" || b.text("peak") != "4" || b.text("count") != "3" {
			t.Errorf("unread: %s, then %s with the new one, then %s once it was marked read; want 3, 4, 3", before, b.text("peak"), b.text("count"))
		}
		if errs := b.consoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})

	t.Run("RefusedInProduction", func(t *testing.T) {
		a := newApp(t) // production: no origin allowed
		b := openBrowser(t, bin, page.URL+"/?api="+url.QueryEscape(a.URL))
		b.waitState("failed: Failed to fetch")
		errs := strings.Join(b.consoleErrors(), "\n")
		if !strings.Contains(errs, "CORS") {
			t.Errorf("the console does not show the CORS refusal: %q", errs)
		}
	})
}

// browser is a headless Chromium tab on a page.
type browser struct {
	t   *testing.T
	ctx context.Context

	mu     sync.Mutex
	errors []string
}

func openBrowser(t *testing.T, bin, pageURL string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	b := &browser{t: t, ctx: ctx}
	chromedp.ListenTarget(ctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *log.EventEntryAdded:
			if e.Entry.Level == log.LevelError {
				msg = e.Entry.Text
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				msg = "console.error"
				for _, a := range e.Args {
					msg += " " + string(a.Value)
				}
			}
		case *runtime.EventExceptionThrown:
			msg = e.ExceptionDetails.Error()
		}
		if msg != "" {
			b.mu.Lock()
			b.errors = append(b.errors, msg)
			b.mu.Unlock()
		}
	})
	if err := chromedp.Run(ctx, log.Enable(), runtime.Enable(), chromedp.Navigate(pageURL)); err != nil {
		t.Fatalf("open %s: %v", pageURL, err)
	}
	return b
}

func (b *browser) text(id string) string {
	b.t.Helper()
	var s string
	if err := chromedp.Run(b.ctx, chromedp.Evaluate(`document.getElementById('`+id+`').textContent`, &s)); err != nil {
		b.t.Fatalf("read #%s: %v", id, err)
	}
	return s
}

// waitState reads #state until it is want; a state starting "failed" or
// containing "error" other than the one awaited ends the test.
func (b *browser) waitState(want string) {
	b.t.Helper()
	var got string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if got = b.text("state"); got == want {
			return
		}
		if strings.HasPrefix(got, "failed") || strings.Contains(got, "error") {
			break
		}
	}
	b.t.Fatalf("the page's state is %q, want %q; console errors: %v", got, want, b.consoleErrors())
}

func (b *browser) consoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}
