package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/server"
)

// TestFragmentBombRefused: issue 11, acceptance 4, over HTTP. The n = 40
// fragment bomb and its variants, anonymous or signed in, answer
// VALIDATION_FAILED (their work is bounded by TestFragmentBombWorkIsLinear,
// which counts it).
func TestFragmentBombRefused(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	for name, q := range server.FragmentBombs(40) {
		for _, tok := range []string{"", fr} {
			r := a.fails("VALIDATION_FAILED", tok, q, nil)
			if len(r.Data) != 0 && string(r.Data) != "null" {
				t.Errorf("%s: data %s", name, r.Data)
			}
		}
	}
}

// waitFor polls cond until it holds, failing after a generous bound (it
// waits for the server to reach a state, it does not time anything).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// lockNotifications holds an exclusive lock on the notifications table
// until the test ends, so that any statement reading it waits.
func (a *app) lockNotifications(t *testing.T) {
	t.Helper()
	tx, err := a.DB.Begin()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	if _, err := tx.Exec(`LOCK TABLE notifications IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
}

// waitingStatements counts the server's statements waiting for a lock.
func (a *app) waitingStatements() int {
	return a.count(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
		AND wait_event_type = 'Lock' AND query ILIKE '%notifications%'`)
}

// TestOperationDeadline: every operation has a deadline (OPERATION_TIMEOUT);
// one that reaches it answers UNAVAILABLE with Retry-After, and its SQL
// statement is cancelled rather than left running.
func TestOperationDeadline(t *testing.T) {
	a := newApp(t, func(o *server.Options) { o.OperationTimeout = 300 * time.Millisecond })
	fr := a.login(hiring.DemoFreelancer)
	a.lockNotifications(t)
	r := a.fails("UNAVAILABLE", fr, `{ notifications { totalCount } }`, nil)
	if r.Errors[0].Extensions["retryAfterSeconds"] == nil {
		t.Errorf("no retryAfterSeconds: %+v", r.Errors)
	}
	waitFor(t, "the timed-out statement to be cancelled", func() bool { return a.waitingStatements() == 0 })
}

// TestClientLeavingCancels: an operation is cancelled when its client
// leaves: the statement it was waiting on is cancelled in PostgreSQL.
func TestClientLeavingCancels(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	a.lockNotifications(t)
	ctx, leave := context.WithCancel(context.Background())
	body, _ := json.Marshal(map[string]any{"query": `{ notifications { totalCount } }`})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, a.URL+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+fr)
	done := make(chan error, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		done <- err
	}()
	waitFor(t, "the request's statement to wait for the lock", func() bool { return a.waitingStatements() == 1 })
	leave()
	if err := <-done; err == nil {
		t.Fatal("the request finished although the lock is held")
	}
	waitFor(t, "the abandoned statement to be cancelled", func() bool { return a.waitingStatements() == 0 })
}
