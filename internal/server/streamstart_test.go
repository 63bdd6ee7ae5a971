package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/wstest"
)

// Issue 10, acceptance 3: subscriptions start live, list cursors are valid
// resume points, and resuming repeats nothing.

const wait = 10 * time.Second

// firstCursor is the cursor of the newest edge of the viewer's list
// ("notifications" or "invitations").
func (a *app) firstCursor(token, list string) string {
	a.t.Helper()
	var d map[string]struct {
		Edges []struct{ Cursor string }
	}
	a.ok(token, fmt.Sprintf(`{ %s(first: 20) { edges { cursor } } }`, list), nil, &d)
	if len(d[list].Edges) == 0 {
		a.t.Fatalf("%s: empty", list)
	}
	return d[list].Edges[0].Cursor
}

// nextInvitation and nextNotification read the next event of a stream and
// return what it is about.
func nextInvitation(t *testing.T, c *wstest.Client) (id, cursor string) {
	t.Helper()
	e := c.Event(wait)
	if len(e.Errors) > 0 {
		t.Fatalf("%s: %+v", c.Name(), e.Errors)
	}
	return str(path(e.Data, "invitationReceived", "invitation", "id")), str(path(e.Data, "invitationReceived", "cursor"))
}

func nextNotification(t *testing.T, c *wstest.Client) (subject, cursor string) {
	t.Helper()
	e := c.Event(wait)
	if len(e.Errors) > 0 {
		t.Fatalf("%s: %+v", c.Name(), e.Errors)
	}
	return str(path(e.Data, "notificationReceived", "notification", "subject", "id")), str(path(e.Data, "notificationReceived", "cursor"))
}

// TestSubscriptionWithoutAfterIsLive: older invitations and notifications
// (the demo data's and one created just before) never arrive; the first
// event is the first thing created after the subscription started.
func TestSubscriptionWithoutAfterIsLive(t *testing.T) {
	a := newApp(t)
	client, fr := a.login(hiring.DemoClient), a.login(hiring.DemoFreelancer)
	frID := a.viewerID(fr)
	a.postAndInvite(client, "Older job", frID)

	for _, proto := range wstest.Protocols {
		ws := a.dial(proto, fr).Ack()
		ws.Subscribe("inv", subInvitations, nil)
		ws.Subscribe("bell", subNotifications, nil)
		a.waitSubscribed(2)
		newer := a.postAndInvite(client, "Newer job "+proto, frID)
		// History would come first: the first event of each stream is the newer one.
		got := map[string]string{}
		for range 2 {
			e := ws.Event(wait)
			switch e.ID {
			case "inv":
				got["inv"] = str(path(e.Data, "invitationReceived", "invitation", "id"))
			case "bell":
				got["bell"] = str(path(e.Data, "notificationReceived", "notification", "subject", "id"))
			}
		}
		if got["inv"] != newer || got["bell"] != newer {
			t.Fatalf("%s: first events %v, want the newer invitation %s on both", proto, got, newer)
		}
		ws.CloseNormally(wait)
		a.waitSubscribed(0)
	}

	// A room's messages likewise.
	room := a.openRoom(client, fr) // its first message is history
	ws := a.dial(wstest.TransportWS, fr).Ack()
	ws.Subscribe("m", subMessages, map[string]any{"room": room})
	a.waitSubscribed(1)
	a.ok(client, `mutation($r: ID!) { sendMessage(input: {roomId: $r, body: "Live one"}) { message { seq } } }`, map[string]any{"r": room}, nil)
	if e := ws.Event(wait); path(e.Data, "messageAdded", "node", "seq") != float64(2) {
		t.Fatalf("messageAdded: %+v", e)
	}
}

// TestListThenSubscribe: the pattern the README documents. Load the first
// page, let something happen, subscribe from the page's newest edge:
// exactly what happened in between arrives, then live events, nothing twice;
// a client reconnecting with its last cursor gets only what it missed.
func TestListThenSubscribe(t *testing.T) {
	a := newApp(t)
	client, fr := a.login(hiring.DemoClient), a.login(hiring.DemoFreelancer)
	frID := a.viewerID(fr)

	for _, tc := range []struct {
		list, sub, id string
		next          func(*testing.T, *wstest.Client) (string, string)
	}{
		{"notifications", subNotifications, "bell", nextNotification},
		{"invitations", subInvitations, "inv", nextInvitation},
	} {
		t.Run(tc.list, func(t *testing.T) {
			after := a.firstCursor(fr, tc.list)
			between := a.postAndInvite(client, "Between "+tc.list, frID)
			ws := a.dial(wstest.TransportWS, fr).Ack()
			ws.Subscribe(tc.id, tc.sub, map[string]any{"after": after})
			if got, _ := tc.next(t, ws); got != between {
				t.Fatalf("first event about %s, want the invitation created in between, %s", got, between)
			}
			live := a.postAndInvite(client, "Live "+tc.list, frID)
			got, last := tc.next(t, ws)
			if got != live {
				t.Fatalf("second event about %s, want %s", got, live)
			}
			// An event's cursor is a valid `after` of the list too.
			a.ok(fr, fmt.Sprintf(`query($a: String) { %s(first: 1, after: $a) { totalCount } }`, tc.list), map[string]any{"a": last}, nil)

			// Disconnect; one more arrives meanwhile; reconnect with the last
			// cursor: only that one, then live, nothing twice.
			ws.CloseNormally(wait)
			missed := a.postAndInvite(client, "Missed "+tc.list, frID)
			ws = a.dial(wstest.LegacyWS, fr).Ack()
			ws.Subscribe(tc.id, tc.sub, map[string]any{"after": last})
			if got, _ := tc.next(t, ws); got != missed {
				t.Fatalf("after reconnecting: %s, want only the missed %s", got, missed)
			}
			again := a.postAndInvite(client, "Again "+tc.list, frID)
			if got, _ := tc.next(t, ws); got != again {
				t.Fatalf("after reconnecting, live: %s, want %s", got, again)
			}
			ws.CloseNormally(wait)
		})
	}

	// A list cursor of another stream, or garbage, is refused clearly.
	ws := a.dial(wstest.TransportWS, fr).Ack()
	ws.Subscribe("bad", subNotifications, map[string]any{"after": "bm90IGEgY3Vyc29y"})
	if e := ws.Event(wait); len(e.Errors) == 0 || e.Errors[0].Extensions["code"] != "VALIDATION_FAILED" {
		t.Fatalf("a bad cursor: %+v", e)
	}
}

// TestInvitationCursorOutOfOrder: two invitations whose ids and stream
// positions come in opposite orders (one created earlier commits later).
// Subscribing from the list's newest edge neither misses the late one nor,
// once the list shows it, repeats it.
func TestInvitationCursorOutOfOrder(t *testing.T) {
	a := newApp(t)
	client, fr := a.login(hiring.DemoClient), a.login(hiring.DemoFreelancer)
	frID := a.viewerID(fr)
	uid, clientID := a.userID(hiring.DemoFreelancer), a.userID(hiring.DemoClient)
	var job struct {
		PostJob struct{ Job struct{ ID string } }
	}
	a.ok(client, `mutation { postJob(input: {title: "Slow invite", description: "x", contractType: FIXED, budget: {amount: "300"}, connectsRequired: 1}) { job { id } } }`, nil, &job)

	// A transaction creates invitation "slow" (the lower id) and waits
	// before its notification takes the freelancer's next seq.
	inserted, proceed, done := make(chan int64), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- postgres.New(a.DB).Transact(context.Background(), func(c *postgres.Conn) error {
			now := a.Hiring.Now()
			inv, err := c.CreateInvitation(context.Background(), &market.Invitation{JobID: dbID(t, job.PostJob.Job.ID), FreelancerID: uid,
				ClientID: clientID, Origin: market.OriginDirect, Message: "slow", CreatedAt: now})
			if err != nil {
				close(inserted)
				return err
			}
			inserted <- inv.ID
			<-proceed
			_, err = c.AddNotification(context.Background(), market.NewNotification{UserID: uid, Kind: market.NotifyInvitationReceived,
				SubjectType: market.SubjectInvitation, SubjectID: inv.ID, ActorID: &clientID, Title: "slow"}, now)
			return err
		})
	}()
	slowID, ok := <-inserted
	if !ok {
		t.Fatal(<-done)
	}
	fast := a.postAndInvite(client, "Fast invite", frID) // higher id, earlier seq
	if dbID(t, fast) <= slowID {
		t.Fatalf("ids: fast %d, slow %d", dbID(t, fast), slowID)
	}
	before := a.firstCursor(fr, "invitations") // shows fast, not slow (uncommitted)
	close(proceed)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	after := a.firstCursor(fr, "invitations") // shows both; fast is still the newest edge

	// From the list read before slow committed: slow arrives (no gap).
	ws := a.dial(wstest.TransportWS, fr).Ack()
	ws.Subscribe("inv", subInvitations, map[string]any{"after": before})
	if got, _ := nextInvitation(t, ws); dbID(t, got) != slowID {
		t.Fatalf("from the earlier list: %s, want the late invitation %d", got, slowID)
	}
	// From the list read after: slow is not repeated (no duplicate).
	ws2 := a.dial(wstest.TransportWS, fr).Ack()
	ws2.Subscribe("inv", subInvitations, map[string]any{"after": after})
	a.waitSubscribed(2)
	live := a.postAndInvite(client, "After both", frID)
	if got, _ := nextInvitation(t, ws2); got != live {
		t.Fatalf("from the later list: %s, want only the live %s", got, live)
	}
	if got, _ := nextInvitation(t, ws); got != live {
		t.Fatalf("the first subscriber, live: %s, want %s", got, live)
	}
}
