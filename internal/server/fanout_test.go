package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/wstest"
)

// TestRoomFanoutStatements: issue 14, acceptance 4. One message to a room
// with many subscribed connections costs at most one SQL statement per
// delivered event (in fact a fixed few for all of them): the room's feed
// reads the new message and the members once, and the subscribers share
// the loaders of that event (the sender is loaded once). The statements of
// every websocket operation and of the shared reads are counted.
func TestRoomFanoutStatements(t *testing.T) {
	const subscribers = 100
	a := newApp(t)
	var n atomic.Int64
	a.Broker.SetContext(postgres.WithStatementCounter(context.Background(), &n))
	counted := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.Server.ServeHTTP(w, r.WithContext(postgres.WithStatementCounter(r.Context(), &n)))
	}))
	t.Cleanup(counted.Close)
	url := "ws" + strings.TrimPrefix(counted.URL, "http") + "/query"

	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	room := a.openRoom(client, fr)
	const sub = `subscription($room: ID!, $after: String) { messageAdded(roomId: $room, after: $after) { cursor node { seq body sender { name } } } }`
	subs := make([]*wstest.Client, subscribers)
	for i := range subs {
		tok := client
		if i%2 == 1 {
			tok = fr
		}
		proto := wstest.Protocols[i%2]
		subs[i] = wstest.Dial(t, fmt.Sprintf("subscriber %d", i), url, proto, tok).Ack()
		subs[i].Subscribe("m", sub, map[string]any{"room": room, "after": seqAfter(1)})
	}
	for i := 0; a.Broker.Live() < subscribers; i++ {
		if i > 3000 {
			t.Fatalf("%d of %d subscriptions are live", a.Broker.Live(), subscribers)
		}
		time.Sleep(10 * time.Millisecond)
	}
	startCost := n.Swap(0)

	// The message is sent outside the counted context: only delivery counts.
	var roomID int64
	if err := a.DB.Get(&roomID, `SELECT room_id FROM messages ORDER BY id DESC LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Hiring.SendMessage(context.Background(), frIDNum(t, a), hiring.SendMessageInput{RoomID: roomID, Body: "To all of you"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range subs {
		e := c.Result(30 * time.Second)
		if path(e.Data, "messageAdded", "node", "seq") != float64(2) || path(e.Data, "messageAdded", "node", "sender", "name") == nil {
			t.Fatalf("%s: %+v", c.Name(), e)
		}
	}
	statements := n.Load()
	t.Logf("%d subscribers: %d statements to start them, %d to deliver one message to all (%.3f per delivered event)",
		subscribers, startCost, statements, float64(statements)/subscribers)
	if statements > subscribers {
		t.Errorf("%d statements for %d delivered events: more than one per event", statements, subscribers)
	}
	if statements > 2 {
		t.Errorf("%d statements to deliver one message: want the shared read and one sender load (2)", statements)
	}
}
