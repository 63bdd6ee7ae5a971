package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/wstest"
)

// forger issues tokens with the test server's secret, as a client holding
// a correctly signed token would present them.
func forger(t *testing.T, now func() time.Time) *auth.Tokens {
	t.Helper()
	tok, err := auth.NewTokens("test-secret-0123456789", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if now != nil {
		tok.UseClock(now)
	}
	return tok
}

// refused checks that a token is UNAUTHENTICATED over HTTP (a query and a
// mutation) and in connection_init on both websocket subprotocols, with a
// reason containing want.
func (a *app) refused(t *testing.T, name, token, want string) {
	t.Helper()
	for _, q := range []string{`{ viewer { id } }`, `mutation { markNotificationsRead(input: {all: true}) { unreadCount } }`} {
		r := a.fails("UNAUTHENTICATED", token, q, nil)
		if !strings.Contains(r.Errors[0].Message, want) {
			t.Errorf("%s over HTTP: %q does not say %q", name, r.Errors[0].Message, want)
		}
	}
	for _, proto := range wstest.Protocols {
		code, reason := a.dial(proto, token).ExpectClose(5 * time.Second)
		if code != 4401 || !strings.Contains(reason, "UNAUTHENTICATED") || !strings.Contains(reason, want) {
			t.Errorf("%s in connection_init (%s): closed with %d %q", name, proto, code, reason)
		}
	}
}

// TestTokenOfUnknownUser: issue 11, acceptance 5. A correctly signed token
// for a user that does not exist (a deleted user) is UNAUTHENTICATED, not
// an empty viewer whose writes fail with INTERNAL.
func TestTokenOfUnknownUser(t *testing.T) {
	a := newApp(t)
	tok, _, err := forger(t, nil).Issue(987654321, 0)
	if err != nil {
		t.Fatal(err)
	}
	a.refused(t, "unknown user", tok, "no longer exists")
}

// TestTokenFromTheFuture: issue 11, acceptance 5. A token issued (by the
// server's own secret) an hour ahead of the server's clock is refused.
func TestTokenFromTheFuture(t *testing.T) {
	a := newApp(t)
	var id int64
	if err := a.DB.Get(&id, `SELECT id FROM users WHERE email = $1`, hiring.DemoFreelancer); err != nil {
		t.Fatal(err)
	}
	tok, _, err := forger(t, func() time.Time { return time.Now().Add(time.Hour) }).Issue(id, 0)
	if err != nil {
		t.Fatal(err)
	}
	a.refused(t, "future token", tok, "issued in the future")
	// The same user with a token issued now is served.
	now, _, _ := forger(t, nil).Issue(id, 0)
	a.viewerID(now)
}

// TestLogout: issue 11, acceptance 5. logout revokes the token it was sent
// with (over HTTP and in connection_init) and only it; logout with
// everywhere revokes every token of the user; signing in again works.
func TestLogout(t *testing.T) {
	a := newApp(t)
	laptop := a.login(hiring.DemoFreelancer)
	phone := a.login(hiring.DemoFreelancer)
	other := a.login(hiring.DemoClient)

	var out struct{ Logout struct{ Everywhere bool } }
	a.ok(laptop, `mutation { logout { everywhere } }`, nil, &out)
	if out.Logout.Everywhere {
		t.Error("logout without everywhere says everywhere")
	}
	a.refused(t, "logged-out token", laptop, "revoked")
	a.fails("UNAUTHENTICATED", laptop, `mutation { logout { everywhere } }`, nil)
	a.viewerID(phone) // the user's other token still works
	a.viewerID(other)

	tablet := a.login(hiring.DemoFreelancer)
	a.ok(phone, `mutation { logout(input: {everywhere: true}) { everywhere } }`, nil, &out)
	if !out.Logout.Everywhere {
		t.Error("logout everywhere does not say so")
	}
	a.refused(t, "token revoked everywhere (the one used)", phone, "revoked")
	a.refused(t, "token revoked everywhere (another)", tablet, "revoked")
	a.viewerID(other) // another user is untouched
	fresh := a.login(hiring.DemoFreelancer)
	a.viewerID(fresh)
	for _, proto := range wstest.Protocols {
		a.dial(proto, fresh).Ack()
	}
}

// TestRevokeOtherTokens: the capability a password change uses keeps the
// caller's session on a fresh token and revokes every other one.
func TestRevokeOtherTokens(t *testing.T) {
	a := newApp(t)
	old := a.login(hiring.DemoFreelancer)
	var id int64
	if err := a.DB.Get(&id, `SELECT id FROM users WHERE email = $1`, hiring.DemoFreelancer); err != nil {
		t.Fatal(err)
	}
	gen, err := a.Hiring.RevokeOtherTokens(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	kept, _, err := forger(t, nil).Issue(id, gen)
	if err != nil {
		t.Fatal(err)
	}
	a.viewerID(kept)
	a.fails("UNAUTHENTICATED", old, `{ viewer { id } }`, nil)
}
