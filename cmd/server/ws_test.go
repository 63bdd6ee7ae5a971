package main

import (
	"fmt"
	"testing"

	"github.com/hiregraph/hiregraph/internal/wstest"
)

// dial opens a websocket to the server on port and sends connection_init
// with the token; name labels the client in failures.
func dial(t testing.TB, name string, port int, proto, token string) *wstest.Client {
	t.Helper()
	return wstest.Dial(t, name, fmt.Sprintf("ws://127.0.0.1:%d/query", port), proto, token)
}
