package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/server"
)

// roomMessagesPage is the load generator's room-messages query
// (cmd/loadgen/reads.go): the page a conversation opens with.
const roomMessagesPage = `query RoomMessages($id: ID!) {
  room(id: $id) {
    id
    messages(last: 50) {
      edges { cursor node { id seq body createdAt sender { id name } } }
      pageInfo { hasPreviousPage startCursor }
    }
  }
}`

// TestRoomMessagesStatements: a room's page of messages with their senders
// costs 5 statements whatever its length (the token check, the room, its
// members, the page, the senders fetched at once by the list): every run
// exactly, since the senders wait for no batch window. The server's loaders
// wait a microsecond, so that senders loaded element by element would
// take several batches. A selection that asks for more (each message's
// room) still gets every message right.
func TestRoomMessagesStatements(t *testing.T) {
	a := newApp(t)
	var n atomic.Int64
	tokens, err := auth.NewTokens("test-secret-0123456789", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	opts := server.DefaultOptions()
	opts.LoaderWait = time.Microsecond
	h := server.New(server.Deps{DB: a.DB, Hiring: a.Hiring, Tokens: tokens}, opts)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(postgres.WithStatementCounter(r.Context(), &n)))
	}))
	t.Cleanup(srv.Close)
	counted := *a
	counted.URL = srv.URL

	client, fr := counted.login(hiring.DemoClient), counted.login(hiring.DemoFreelancer)
	room := a.openRoom(client, fr) // one message, the client's
	var roomID int64
	if err := a.DB.Get(&roomID, `SELECT room_id FROM messages ORDER BY id DESC LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	type page struct {
		Room struct {
			Messages struct {
				Edges []struct {
					Node struct {
						Seq    int
						Body   string
						Sender struct{ ID, Name string }
						Room   *struct{ ID string }
					}
				}
			}
		}
	}
	run := func(want int) {
		t.Helper()
		for range 3 {
			n.Store(0)
			var p page
			counted.ok(fr, roomMessagesPage, map[string]any{"id": room}, &p)
			if got := n.Load(); got != 5 {
				t.Errorf("%d messages: %d statements, want 5", want, got)
			}
			edges := p.Room.Messages.Edges
			if len(edges) != want {
				t.Fatalf("%d edges, want %d", len(edges), want)
			}
			for i, e := range edges {
				if e.Node.Sender.ID == "" || e.Node.Sender.Name == "" || (i > 0 && e.Node.Seq != edges[i-1].Node.Seq+1) {
					t.Fatalf("edge %d: %+v", i, e.Node)
				}
			}
		}
	}
	run(1)
	ctx := context.Background()
	senders := []int64{a.userID(hiring.DemoFreelancer), a.userID(hiring.DemoClient)}
	for i := range 59 {
		if _, err := a.Hiring.SendMessage(ctx, senders[i%2], hiring.SendMessageInput{RoomID: roomID, Body: fmt.Sprintf("Message %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	run(50)

	// Not covered by the priming (each message's room has a resolver): the
	// page goes element by element concurrently, as gqlgen would.
	var p page
	counted.ok(fr, `query($id: ID!) { room(id: $id) { messages(last: 50) { edges { node { seq sender { name } room { id } } } } } }`,
		map[string]any{"id": room}, &p)
	for i, e := range p.Room.Messages.Edges {
		if e.Node.Room == nil || e.Node.Room.ID != room || e.Node.Sender.Name == "" {
			t.Fatalf("edge %d: %+v", i, e.Node)
		}
	}
}
