package server_test

import (
	"strings"

	"github.com/hiregraph/hiregraph/internal/wstest"
)

// dial opens a websocket to the app and sends connection_init with the token.
// It does not wait for the ack: use Ack or ExpectClose.
func (a *app) dial(proto, token string) *wstest.Client {
	a.t.Helper()
	return wstest.Dial(a.t, proto, "ws"+strings.TrimPrefix(a.URL, "http")+"/query", proto, token)
}

// JSON helpers for decoded results.
var (
	path = wstest.Path
	str  = wstest.Str
)
