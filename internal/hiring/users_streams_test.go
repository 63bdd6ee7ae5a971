package hiring_test

import (
	"context"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/realtime"
)

func TestUsersAndConnects(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	fr, outsider := e.MustCreateUser(hiringtest.UserOpts{Connects: 12}), e.MustCreateUser()
	a := e.MustCreateAgency(fr, 30, nil)

	t.Run("Authenticate OK and ErrUnauthenticated", func(t *testing.T) {
		u, err := e.Hiring.Authenticate(e.Ctx, fr.Email, hiringtest.Password)
		if err != nil || u.ID != fr.ID {
			t.Fatalf("%+v %v", u, err)
		}
		_, err = e.Hiring.Authenticate(e.Ctx, fr.Email, "wrong")
		hiringtest.WantCode(t, err, market.CodeUnauthenticated)
		_, err = e.Hiring.Authenticate(e.Ctx, "nobody@example.test", hiringtest.Password)
		hiringtest.WantCode(t, err, market.CodeUnauthenticated)
	})
	t.Run("User and UserByEmail", func(t *testing.T) {
		u, err := e.Hiring.User(e.Ctx, fr.ID)
		if err != nil || u.Email != fr.Email {
			t.Fatalf("%+v %v", u, err)
		}
		_, err = e.Hiring.User(e.Ctx, 1<<40)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		if u, err := e.Hiring.UserByEmail(e.Ctx, fr.Email); err != nil || u.ID != fr.ID {
			t.Fatalf("%+v %v", u, err)
		}
	})
	t.Run("ConnectsBalance, AgencyConnectsBalance, Ledger", func(t *testing.T) {
		if n, err := e.Hiring.ConnectsBalance(e.Ctx, fr.ID); err != nil || n != 12 {
			t.Fatalf("%d %v", n, err)
		}
		if n, err := e.Hiring.AgencyConnectsBalance(e.Ctx, fr.ID, a.ID); err != nil || n != 30 {
			t.Fatalf("%d %v", n, err)
		}
		_, err := e.Hiring.AgencyConnectsBalance(e.Ctx, outsider.ID, a.ID)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		page, balance, err := e.Hiring.Ledger(e.Ctx, fr.ID, &a.ID, market.PageRequest{Limit: 10, Count: true})
		if err != nil || balance != 30 || page.Total != 1 || page.Items[0].Kind != market.LedgerGrant {
			t.Fatalf("%+v %d %v", page, balance, err)
		}
		_, _, err = e.Hiring.Ledger(e.Ctx, outsider.ID, &a.ID, market.PageRequest{Limit: 10, Count: true})
		hiringtest.WantCode(t, err, market.CodeNotFound)
	})
	t.Run("Memberships", func(t *testing.T) {
		ms, err := e.Hiring.Memberships(e.Ctx, fr.ID)
		if err != nil || len(ms) != 1 || ms[0].Role != market.RoleOwner {
			t.Fatalf("%+v %v", ms, err)
		}
	})
	t.Run("UpdateProfile", func(t *testing.T) {
		title := "Go and SQL"
		p, err := e.Hiring.UpdateProfile(e.Ctx, outsider.ID, market.ProfileUpdate{Title: &title, Skills: []string{"Go", "SQL"}})
		if err != nil || p.Title != title || len(p.Skills) != 2 {
			t.Fatalf("%+v %v", p, err)
		}
		bad := "skype: casey.dev"
		_, err = e.Hiring.UpdateProfile(e.Ctx, outsider.ID, market.ProfileUpdate{Overview: &bad})
		hiringtest.WantCode(t, err, market.CodeContactInfo)
	})
	t.Run("Store, Now, New", func(t *testing.T) {
		if e.Hiring.Store() != e.Store {
			t.Fatal("Store()")
		}
		if !e.Hiring.Now().Equal(e.Clock.Now()) {
			t.Fatalf("Now() = %v, the clock says %v", e.Hiring.Now(), e.Clock.Now())
		}
		if hiring.New(e.Store, hiring.Config{}, nil).Now().IsZero() {
			t.Fatal("without a clock, New uses time.Now")
		}
	})
}

func TestNotifications(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	job := e.MustCreateJob(client)
	e.MustCreateInvitation(job, fr)
	e.MustCreateInvitation(e.MustCreateJob(client), fr)

	page, err := e.Hiring.Notifications(e.Ctx, fr.ID, false, market.PageRequest{Limit: 10})
	if err != nil || page.Total != 2 || page.UnreadCount != 2 {
		t.Fatalf("Notifications: %+v %v", page, err)
	}
	t.Run("MarkNotificationsRead one, then all", func(t *testing.T) {
		res, err := e.Hiring.MarkNotificationsRead(e.Ctx, fr.ID, []int64{page.Items[0].ID}, false)
		if err != nil || res.UnreadCount != 1 {
			t.Fatalf("%+v %v", res, err)
		}
		if n, _ := e.Hiring.UnreadNotificationCount(e.Ctx, fr.ID); n != 1 {
			t.Fatalf("UnreadNotificationCount = %d", n)
		}
		res, err = e.Hiring.MarkNotificationsRead(e.Ctx, fr.ID, nil, true)
		if err != nil || res.UnreadCount != 0 {
			t.Fatalf("%+v %v", res, err)
		}
		_, err = e.Hiring.MarkNotificationsRead(e.Ctx, fr.ID, nil, false)
		hiringtest.WantCode(t, err, market.CodeValidationFailed)
	})
}

// withBroker gives the service a broker fed by a real listener, as in
// production, and returns once the listener listens.
func withBroker(t *testing.T, e *hiringtest.Env) {
	t.Helper()
	broker := realtime.NewBroker()
	e.Hiring.UseBroker(broker)
	l := postgres.NewListener(e.DSN, nil)
	ctx, cancel := context.WithCancel(e.Ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = l.Run(ctx, broker.Publish, broker.ResyncAll) }()
	t.Cleanup(func() { cancel(); <-done })
	pctx, stop := context.WithCancel(e.Ctx)
	defer stop()
	probe, err := collect(pctx, func(ctx context.Context, sink realtime.Sink[market.Event]) error {
		return realtime.Watch(ctx, broker, "probe", []string{"probe"},
			func(_ context.Context, ev market.Event) (market.Event, bool) { return ev, true }, sink)
	})
	if err != nil {
		t.Fatal(err)
	}
	for {
		e.Tx(func(c *postgres.Conn) error { return c.Notify(e.Ctx, market.Event{Topic: "probe", Kind: "probe"}) })
		select {
		case <-probe:
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// collect starts a stream the way the websocket transport does (an outlet
// in the context wakes a consumer that takes what is pending) and returns
// a channel of its items, closed when the stream ends.
func collect[T any](ctx context.Context, start func(ctx context.Context, sink realtime.Sink[T]) error) (<-chan T, error) {
	in := make(chan T, realtime.Buffer+1)
	out := make(chan T, 1000)
	var o *realtime.Outlet
	o = realtime.NewOutlet(func() {
		go func() {
			for {
				if _, _, ok := o.Next(); !ok {
					return
				}
				v, open := <-in
				o.Taken()
				if !open {
					close(out)
					return
				}
				out <- v
			}
		}()
	})
	err := start(realtime.WithOutlet(ctx, o), realtime.Sink[T]{Emit: func(v T) { in <- v }, End: func() { close(in) }})
	return out, err
}

// next receives from ch, failing the test if nothing comes within a bound
// far above any real delay (a failure bound, not a timing assertion).
func next[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v, ok := <-ch:
		if !ok {
			t.Fatal("the stream ended")
		}
		return v
	case <-time.After(30 * time.Second):
		t.Fatal("nothing came")
	}
	var zero T
	return zero
}

func TestStreams(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	withBroker(t, e)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	job := e.MustCreateJob(client)
	first := e.MustCreateInvitation(job, fr)
	ctx, cancel := context.WithCancel(e.Ctx)
	defer cancel()

	t.Run("InvitationsAfter and SubscribeInvitations", func(t *testing.T) {
		evs, err := e.Hiring.InvitationsAfter(e.Ctx, fr.ID, 0)
		if err != nil || len(evs) != 1 || evs[0].Invitation.ID != first.ID {
			t.Fatalf("%+v %v", evs, err)
		}
		ch, err := collect(ctx, func(ctx context.Context, sink realtime.Sink[hiring.InvitationEvent]) error {
			return e.Hiring.SubscribeInvitations(ctx, fr.ID, evs[0].Seq, sink)
		})
		if err != nil {
			t.Fatal(err)
		}
		second := e.MustCreateInvitation(e.MustCreateJob(client), fr)
		if got := next(t, ch); got.Invitation.ID != second.ID {
			t.Fatalf("live: %+v", got)
		}
	})
	t.Run("NotificationsAfter and SubscribeNotifications", func(t *testing.T) {
		evs, err := e.Hiring.NotificationsAfter(e.Ctx, fr.ID, 0)
		if err != nil || len(evs) != 2 || evs[1].UnreadCount != 2 {
			t.Fatalf("%+v %v", evs, err)
		}
		ch, err := collect(ctx, func(ctx context.Context, sink realtime.Sink[hiring.NotificationEvent]) error {
			return e.Hiring.SubscribeNotifications(ctx, fr.ID, 1, sink)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := next(t, ch); got.Notification.Seq != 2 {
			t.Fatalf("resumed after 1: %+v", got.Notification)
		}
		// Notify writes one with its event: it arrives live, with the count.
		if _, err := e.Hiring.Notify(e.Ctx, market.NewNotification{UserID: fr.ID, Kind: market.NotifyBonusPaid,
			SubjectType: market.SubjectInvitation, SubjectID: first.ID, Title: "Live"}); err != nil {
			t.Fatal(err)
		}
		if got := next(t, ch); got.Notification.Title != "Live" || got.UnreadCount != 3 {
			t.Fatalf("live: %+v %d", got.Notification, got.UnreadCount)
		}
	})
	p := e.MustCreateProposal(e.MustCreateJob(client), fr)
	t.Run("SubscribeProposals", func(t *testing.T) {
		ch, err := collect(ctx, func(ctx context.Context, sink realtime.Sink[*market.Proposal]) error {
			return e.Hiring.SubscribeProposals(ctx, fr.ID, sink)
		})
		if err != nil {
			t.Fatal(err)
		}
		e.MustCreateRoom(job, p)
		e.MustCreateOffer(job, p)
		// Opening the room (ACTIVE) and the offer (OFFERED) each send an
		// event; each is read when delivered, so the first may already
		// show OFFERED.
		for got := next(t, ch); got.Status != market.ProposalOffered; got = next(t, ch) {
			if got.ID != p.ID || got.Status != market.ProposalActive {
				t.Fatalf("%+v", got)
			}
		}
	})
	t.Run("MessagesAfter and SubscribeMessages", func(t *testing.T) {
		room, err := e.Hiring.RoomByProposalID(e.Ctx, []int64{p.ID})
		if err != nil {
			t.Fatal(err)
		}
		r := room[p.ID]
		msgs, err := e.Hiring.MessagesAfter(e.Ctx, fr.ID, r.ID, 0)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("%+v %v", msgs, err)
		}
		_, err = e.Hiring.MessagesAfter(e.Ctx, e.MustCreateUser().ID, r.ID, 0)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		ch, err := collect(ctx, func(ctx context.Context, sink realtime.Sink[*market.Message]) error {
			return e.Hiring.SubscribeMessages(ctx, fr.ID, r.ID, 1, sink)
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Hiring.SendMessage(e.Ctx, client.ID, hiring.SendMessageInput{RoomID: r.ID, Body: "Live"}); err != nil {
			t.Fatal(err)
		}
		if got := next(t, ch); got.Seq != 2 || got.Body != "Live" {
			t.Fatalf("%+v", got)
		}
		_, err = collect(ctx, func(ctx context.Context, sink realtime.Sink[*market.Message]) error {
			return e.Hiring.SubscribeMessages(ctx, e.MustCreateUser().ID, r.ID, 0, sink)
		})
		hiringtest.WantCode(t, err, market.CodeNotFound)
	})
}

// TestConnect: a tool beside the server (the load generator) opens the use
// cases over the database's URL.
func TestConnect(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	u := e.MustCreateUser()
	svc, closeDB, err := hiring.Connect(e.Ctx, e.DSN, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	if got, err := svc.UserByEmail(e.Ctx, u.Email); err != nil || got.ID != u.ID {
		t.Fatalf("%+v %v", got, err)
	}
	if _, _, err := hiring.Connect(e.Ctx, "host=127.0.0.1 port=1 user=nobody sslmode=disable connect_timeout=2", 0); err == nil {
		t.Error("connecting to nothing must fail")
	}
}

// TestLoaders: the batch reads behind the dataloaders return, per key, what
// the store holds, and nothing for unknown keys.
func TestLoaders(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	a := e.MustCreateAgency(fr, 0, nil)
	nj := hiringtest.HourlyJob()
	nj.InterviewMode, nj.Questions = market.InterviewInstant, []string{"Why?"}
	job := e.MustCreateJob(client, nj)
	qs, err := e.Hiring.QuestionsByJobID(e.Ctx, []int64{job.ID})
	if err != nil || len(qs[job.ID]) != 1 {
		t.Fatalf("QuestionsByJobID: %v %v", qs, err)
	}
	q := qs[job.ID][0]
	inv := e.MustCreateInvitation(job, fr)
	res, err := e.Hiring.AcceptInvitation(e.Ctx, fr.ID, hiring.AcceptInput{InvitationID: inv.ID,
		Answers:     []market.Answer{{QuestionID: q.ID, Text: "Because."}},
		Attachments: []market.Attachment{{Name: "cv.pdf", ContentType: "application/pdf", Size: 10, URL: "https://files.test/cv.pdf"}}})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Proposal
	const unknown = 1 << 40
	check := func(name string, ok bool, err error) {
		t.Helper()
		if err != nil || !ok {
			t.Errorf("%s: ok=%v err=%v", name, ok, err)
		}
	}
	us, err := e.Hiring.UsersByID(e.Ctx, []int64{fr.ID, unknown})
	check("UsersByID", len(us) == 1 && us[fr.ID] != nil, err)
	ps, err := e.Hiring.ProfilesByUserID(e.Ctx, []int64{fr.ID, client.ID})
	check("ProfilesByUserID", len(ps) == 1 && ps[fr.ID] != nil, err)
	js, err := e.Hiring.JobsByID(e.Ctx, []int64{job.ID, unknown})
	check("JobsByID", len(js) == 1 && js[job.ID] != nil, err)
	qb, err := e.Hiring.QuestionsByID(e.Ctx, []int64{q.ID})
	check("QuestionsByID", qb[q.ID] != nil && qb[q.ID].Text == "Why?", err)
	as, err := e.Hiring.AgenciesByID(e.Ctx, []int64{a.ID})
	check("AgenciesByID", as[a.ID] != nil, err)
	is, err := e.Hiring.InvitationsByID(e.Ctx, []int64{inv.ID})
	check("InvitationsByID", is[inv.ID] != nil && is[inv.ID].Status == market.InvitationAccepted, err)
	pb, err := e.Hiring.ProposalsByID(e.Ctx, []int64{p.ID})
	check("ProposalsByID", pb[p.ID] != nil, err)
	ans, err := e.Hiring.AnswersByProposalID(e.Ctx, []int64{p.ID})
	check("AnswersByProposalID", len(ans[p.ID]) == 1 && ans[p.ID][0].Text == "Because.", err)
	att, err := e.Hiring.AttachmentsByProposalID(e.Ctx, []int64{p.ID})
	check("AttachmentsByProposalID", len(att[p.ID]) == 1 && att[p.ID][0].Name == "cv.pdf", err)
	rs, err := e.Hiring.Reasons(e.Ctx, market.ReasonInvitationDecline)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := e.Hiring.ReasonsByID(e.Ctx, []int64{rs[0].ID})
	check("ReasonsByID", rb[rs[0].ID] != nil, err)
	e.Clock.Advance(time.Hour)
	st, err := e.Hiring.InvitationStatsByUserID(e.Ctx, []int64{fr.ID})
	check("InvitationStatsByUserID", st[fr.ID] != nil && st[fr.ID].Received == 1 && st[fr.ID].Responded == 1, err)
}
