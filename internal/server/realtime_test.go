package server_test

import (
	"github.com/hiregraph/hiregraph/internal/wstest"

	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

const (
	subInvitations   = `subscription($after: String) { invitationReceived(after: $after) { cursor invitation { id status job { title } } } }`
	subNotifications = `subscription($after: String) { notificationReceived(after: $after) { cursor unreadCount notification { kind seq subject { __typename ... on Invitation { id } } } } }`
	subMessages      = `subscription($room: ID!, $after: String) { messageAdded(roomId: $room, after: $after) { cursor node { seq body sender { name } } } }`
)

// openRoom has the client message one of the freelancer's proposals; it
// returns the room id.
func (a *app) openRoom(client, fr string) string {
	a.t.Helper()
	inv := a.invitations(fr, map[string]any{"status": "PENDING"}).byTitle(a.t, "React dashboard")
	var acc struct {
		AcceptInvitation struct{ Proposal struct{ ID string } }
	}
	a.ok(fr, acceptMutation, map[string]any{"in": map[string]any{"invitationId": inv.ID, "coverLetter": "Hello!"}}, &acc)
	var m struct {
		MessageProposal struct{ Room struct{ ID string } }
	}
	a.ok(client, `mutation($p: ID!) { messageProposal(input: {proposalId: $p, body: "Hi there"}) { room { id } } }`,
		map[string]any{"p": acc.AcceptInvitation.Proposal.ID}, &m)
	return m.MessageProposal.Room.ID
}

// TestSubscriptionsBothProtocols: issue 4, acceptance 1, for each subprotocol.
func TestSubscriptionsBothProtocols(t *testing.T) {
	for _, proto := range wstest.Protocols {
		t.Run(proto, func(t *testing.T) {
			a := newApp(t)
			client := a.login(hiring.DemoClient)
			fr := a.login(hiring.DemoFreelancer)
			member := a.login(hiring.DemoMember)
			frID := a.viewerID(fr)

			// A new invitation reaches the freelancer's invitation and bell streams.
			ws := a.dial(proto, fr).Ack()
			ws.Subscribe("inv", subInvitations, nil)
			ws.Subscribe("bell", subNotifications, nil)
			// No cursor: live from the start, none of the demo data's history.
			a.waitSubscribed(2)
			var job struct {
				PostJob struct{ Job struct{ ID string } }
			}
			a.ok(client, `mutation { postJob(input: {title: "Live job", description: "Realtime", contractType: FIXED, budget: {amount: "500"}, connectsRequired: 2}) { job { id } } }`, nil, &job)
			var inv struct {
				InviteFreelancer struct{ Invitation struct{ ID string } }
			}
			a.ok(client, `mutation($j: ID!, $f: ID!) { inviteFreelancer(input: {jobId: $j, freelancerId: $f, message: "Join us"}) { invitation { id } } }`,
				map[string]any{"j": job.PostJob.Job.ID, "f": frID}, &inv)
			got := map[string]wstest.Event{}
			for range 2 {
				e := ws.Event(5 * time.Second)
				got[e.ID] = e
			}
			if id := str(path(got["inv"].Data, "invitationReceived", "invitation", "id")); id != inv.InviteFreelancer.Invitation.ID {
				t.Errorf("invitationReceived: %+v", got["inv"])
			}
			bell := got["bell"].Data
			if path(bell, "notificationReceived", "notification", "kind") != "INVITATION_RECEIVED" ||
				str(path(bell, "notificationReceived", "notification", "subject", "id")) != inv.InviteFreelancer.Invitation.ID ||
				path(bell, "notificationReceived", "unreadCount") != float64(4) {
				t.Errorf("notificationReceived: %+v", got["bell"])
			}

			// A message reaches every room member and no one else.
			room := a.openRoom(client, fr)
			subs := map[string]*wstest.Client{}
			for who, tok := range map[string]string{"client": client, "freelancer": fr} {
				c := a.dial(proto, tok).Ack()
				c.Subscribe("m", subMessages, map[string]any{"room": room})
				subs[who] = c
			}
			a.waitSubscribed(4) // live: the room's first message is history
			outsider := a.dial(proto, member).Ack()
			outsider.Subscribe("m", subMessages, map[string]any{"room": room})
			if e := outsider.Event(5 * time.Second); len(e.Errors) == 0 || e.Errors[0].Extensions["code"] != "NOT_FOUND" {
				t.Errorf("an outsider's subscription to the room must be refused with NOT_FOUND: %+v", e)
			}
			a.ok(fr, `mutation($r: ID!) { sendMessage(input: {roomId: $r, body: "Monday works"}) { message { seq } } }`, map[string]any{"r": room}, nil)
			for who, c := range subs {
				e := c.Event(5 * time.Second)
				if path(e.Data, "messageAdded", "node", "seq") != float64(2) || path(e.Data, "messageAdded", "node", "body") != "Monday works" {
					t.Errorf("%s: %+v", who, e)
				}
			}
			outsider.Quiet(300 * time.Millisecond)
		})
	}
}

// TestWebsocketAuth: a bad or missing token closes the connection with a reason.
func TestWebsocketAuth(t *testing.T) {
	a := newApp(t)
	for _, proto := range wstest.Protocols {
		for name, tok := range map[string]string{"bad token": "nope", "no token": ""} {
			c := a.dial(proto, tok)
			code, reason := c.ExpectClose(5 * time.Second)
			if code != 4401 || !strings.Contains(reason, "UNAUTHENTICATED") {
				t.Errorf("%s, %s: closed with %d %q", proto, name, code, reason)
			}
		}
	}
}

// TestRolledBackChangeNotifiesNoOne: issue 4, acceptance 5. Events are sent
// with pg_notify inside the transaction: a rollback sends nothing.
func TestRolledBackChangeNotifiesNoOne(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	ws := a.dial(wstest.TransportWS, fr).Ack()
	var last struct {
		Notifications struct{ Edges []struct{ Cursor string } }
	}
	a.ok(fr, `{ notifications(first: 1) { edges { cursor } } }`, nil, &last)
	ws.Subscribe("bell", subNotifications, map[string]any{"after": nil})
	a.waitSubscribed(1) // live: the demo data's three are history
	uid := frIDNum(t, a)
	store := postgres.New(a.DB)
	errRollback := fmt.Errorf("deliberate failure after writing")
	err := store.Transact(context.Background(), func(c *postgres.Conn) error {
		if _, err := c.AddNotification(context.Background(), market.NewNotification{UserID: uid, Kind: market.NotifyBonusPaid,
			SubjectType: market.SubjectInvitation, SubjectID: 1, Title: "rolled back"}, a.Hiring.Now()); err != nil {
			return err
		}
		return errRollback
	})
	if err != errRollback {
		t.Fatal(err)
	}
	ws.Quiet(500 * time.Millisecond)
	if err := store.Transact(context.Background(), func(c *postgres.Conn) error {
		_, err := c.AddNotification(context.Background(), market.NewNotification{UserID: uid, Kind: market.NotifyInvitationWithdrawn,
			SubjectType: market.SubjectInvitation, SubjectID: 1, Title: "committed"}, a.Hiring.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	e := ws.Event(5 * time.Second)
	if path(e.Data, "notificationReceived", "notification", "kind") != "INVITATION_WITHDRAWN" ||
		path(e.Data, "notificationReceived", "notification", "seq") != float64(4) {
		t.Errorf("only the committed notification arrives, as seq 4: %+v", e)
	}
	ws.Quiet(300 * time.Millisecond)
}

func frIDNum(t *testing.T, a *app) int64 {
	t.Helper()
	var id int64
	if err := a.DB.Get(&id, `SELECT id FROM users WHERE email = $1`, hiring.DemoFreelancer); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestNoLossWhenTheListenerDies: issue 4, acceptance 3. While messages are
// sent, the listener's connection is killed; every subscriber still gets
// every message once, in order. Then a subscriber that left resumes from
// its last cursor and gets exactly what it missed.
func TestNoLossWhenTheListenerDies(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	room := a.openRoom(client, fr)
	const n = 60
	subs := []*wstest.Client{a.dial(wstest.TransportWS, client).Ack(), a.dial(wstest.LegacyWS, fr).Ack()}
	for _, c := range subs {
		c.Subscribe("m", subMessages, map[string]any{"room": room})
	}
	a.waitSubscribed(len(subs)) // live: after the room's first message
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range n {
			if i == n/3 || i == 2*n/3 {
				// The listener reconnects on its own schedule: kill it once it
				// is back (waiting for that state; a bound, not a timing).
				for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
					var listening int
					if err := a.DB.Get(&listening, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'listen %'`); err != nil || listening > 0 {
						break
					}
				}
				var killed int
				if err := a.DB.Get(&killed, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
					WHERE datname = current_database() AND query ILIKE 'listen %'`); err != nil || killed == 0 {
					t.Errorf("kill the listener: %d %v", killed, err)
				}
			}
			a.ok(fr, `mutation($r: ID!, $b: String!) { sendMessage(input: {roomId: $r, body: $b}) { message { seq } } }`,
				map[string]any{"r": room, "b": fmt.Sprintf("message %d", i)}, nil)
		}
	}()
	var lastCursor string
	for i, c := range subs {
		for want := 2; want <= n+1; want++ {
			e := c.Event(20 * time.Second)
			if seq := path(e.Data, "messageAdded", "node", "seq"); seq != float64(want) {
				t.Fatalf("subscriber %d: want seq %d, got %v (%+v)", i, want, seq, e)
			}
			if i == 0 && want == 20 {
				lastCursor = str(path(e.Data, "messageAdded", "cursor"))
			}
		}
		c.Quiet(200 * time.Millisecond)
	}
	wg.Wait()

	// A subscriber that saw up to seq 20 resumes there: 21..n+1, once.
	c := a.dial(wstest.TransportWS, client).Ack()
	c.Subscribe("m", subMessages, map[string]any{"room": room, "after": lastCursor})
	for want := 21; want <= n+1; want++ {
		if seq := path(c.Event(5*time.Second).Data, "messageAdded", "node", "seq"); seq != float64(want) {
			t.Fatalf("resumed: want seq %d, got %v", want, seq)
		}
	}
	c.Quiet(300 * time.Millisecond)
}

// TestSubscriptionCap: a connection holds at most MaxSubscriptions (20 by
// default) subscriptions at once; stopping one frees its slot.
func TestSubscriptionCap(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	ws := a.dial(wstest.TransportWS, fr).Ack()
	const q = `subscription { proposalUpdated { id } }`
	for i := range 20 {
		ws.Subscribe(fmt.Sprint("s", i), q, nil)
	}
	ws.Quiet(300 * time.Millisecond)
	ws.Subscribe("over", q, nil)
	if e := ws.Event(5 * time.Second); e.ID != "over" || len(e.Errors) == 0 || e.Errors[0].Extensions["code"] != "RATE_LIMITED" {
		t.Fatalf("the 21st subscription: %+v", e)
	}
	ws.Stop("s0")
	time.Sleep(200 * time.Millisecond)
	ws.Subscribe("again", q, nil)
	ws.Quiet(300 * time.Millisecond) // accepted: no error
}

// waitSubscribed waits until this process's broker holds exactly n
// subscriptions: a subscription without `after` is live once it holds its
// own, so what is committed from then on reaches it; and ones that ended are
// gone. (Subscriptions start without an acknowledgement in either protocol.)
func (a *app) waitSubscribed(n int) {
	a.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for a.Broker.Subscribers() != n {
		if time.Now().After(deadline) {
			a.t.Fatalf("%d subscriptions, want %d", a.Broker.Subscribers(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
