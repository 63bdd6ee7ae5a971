package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

func TestNotifications(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	u, actor := e.MustCreateUser(), e.MustCreateUser()
	now := e.Clock.Now()
	var ns []*market.Notification
	for i, kind := range []market.NotificationKind{market.NotifyInvitationReceived, market.NotifyMessageReceived, market.NotifyOfferReceived} {
		e.Tx(func(c *postgres.Conn) error {
			n, err := c.AddNotification(e.Ctx, market.NewNotification{UserID: u.ID, Kind: kind, SubjectType: market.SubjectInvitation,
				SubjectID: int64(i + 1), ActorID: &actor.ID, Title: string(kind)}, now.Add(time.Duration(i)*time.Minute))
			ns = append(ns, n)
			return err
		})
	}
	t.Run("AddNotification numbers per user", func(t *testing.T) {
		for i, n := range ns {
			if n.Seq != int64(i+1) || n.ReadAt != nil {
				t.Fatalf("notification %d: %+v", i, n)
			}
		}
	})
	t.Run("counts", func(t *testing.T) {
		if n := must[int](t)(c.UnreadNotificationCount(e.Ctx, u.ID)); n != 3 {
			t.Fatalf("unread %d", n)
		}
		total, unread, err := c.NotificationCounts(e.Ctx, u.ID)
		if err != nil || total != 3 || unread != 3 {
			t.Fatalf("%d %d %v", total, unread, err)
		}
	})
	t.Run("SetNotificationsRead, UserNotifications", func(t *testing.T) {
		e.Tx(func(c *postgres.Conn) error {
			mine, err := c.UserNotifications(e.Ctx, u.ID, []int64{ns[0].ID, ns[1].ID}, true)
			if err != nil {
				return err
			}
			if len(mine) != 2 {
				t.Errorf("UserNotifications: %d", len(mine))
			}
			if theirs, _ := c.UserNotifications(e.Ctx, actor.ID, []int64{ns[0].ID}, true); len(theirs) != 0 {
				t.Errorf("someone else's notification: %+v", theirs)
			}
			return c.SetNotificationsRead(e.Ctx, u.ID, []int64{ns[0].ID}, now)
		})
		if n := must[int](t)(c.UnreadNotificationCount(e.Ctx, u.ID)); n != 2 {
			t.Fatalf("unread %d", n)
		}
		if n := must[int](t)(c.UnreadNotificationsUpTo(e.Ctx, u.ID, 2)); n != 1 {
			t.Fatalf("UnreadNotificationsUpTo(2) = %d", n)
		}
	})
	t.Run("ListNotifications", func(t *testing.T) {
		all := must[[]*market.Notification](t)(c.ListNotifications(e.Ctx, u.ID, false, market.PageRequest{Limit: 10}))
		if len(all) != 3 || all[0].ID != ns[2].ID {
			t.Fatalf("newest first: %+v", all)
		}
		unread := must[[]*market.Notification](t)(c.ListNotifications(e.Ctx, u.ID, true, market.PageRequest{Limit: 10}))
		if len(unread) != 2 {
			t.Fatalf("unread only: %d", len(unread))
		}
	})
	t.Run("NotificationsAfter", func(t *testing.T) {
		got := must[[]*market.Notification](t)(c.NotificationsAfter(e.Ctx, u.ID, 1, nil, 10))
		if len(got) != 2 || got[0].Seq != 2 {
			t.Fatalf("%+v", got)
		}
		got = must[[]*market.Notification](t)(c.NotificationsAfter(e.Ctx, u.ID, 0, []market.NotificationKind{market.NotifyOfferReceived}, 10))
		if len(got) != 1 || got[0].Kind != market.NotifyOfferReceived {
			t.Fatalf("by kind: %+v", got)
		}
	})
	t.Run("SetAllNotificationsRead", func(t *testing.T) {
		if err := c.SetAllNotificationsRead(e.Ctx, u.ID, now); err != nil {
			t.Fatal(err)
		}
		if n := must[int](t)(c.UnreadNotificationCount(e.Ctx, u.ID)); n != 0 {
			t.Fatalf("unread %d", n)
		}
	})
}

// TestEvents: Notify inside a transaction reaches a Listener at commit
// only, and never from a rolled-back transaction.
func TestEvents(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	if market.UserTopic(7) != "user:7" || market.RoomTopic(3) != "room:3" {
		t.Fatal("topics")
	}
	l := postgres.NewListener(e.DSN, nil)
	got := make(chan market.Event, 10)
	ctx, cancel := context.WithCancel(e.Ctx)
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx, func(ev market.Event) { got <- ev }, func() {}) }()
	defer func() { cancel(); <-done }()

	// Wait until the listener listens: events sent before are not heard.
	// A probe event is sent until one arrives (no sleeping on a guess).
	probe := market.Event{Topic: "probe", Kind: "probe"}
	for heard := false; !heard; {
		e.Tx(func(c *postgres.Conn) error { return c.Notify(e.Ctx, probe) })
		select {
		case <-got:
			heard = true
		case <-time.After(100 * time.Millisecond):
		}
	}
	if !l.Connected() {
		t.Fatal("Connected() = false while events arrive")
	}
	drain := func() {
		for {
			select {
			case <-got:
			default:
				return
			}
		}
	}
	drain()

	rolledBack := market.Event{Topic: market.UserTopic(1), Kind: market.EventNotification, ID: 1, Seq: 1}
	committed := market.Event{Topic: market.UserTopic(1), Kind: market.EventNotification, ID: 2, Seq: 2}
	_ = e.Store.Transact(e.Ctx, func(c *postgres.Conn) error {
		if err := c.Notify(e.Ctx, rolledBack); err != nil {
			return err
		}
		return context.Canceled // roll back
	})
	e.Tx(func(c *postgres.Conn) error { return c.Notify(e.Ctx, committed) })
	select {
	case ev := <-got:
		if ev != committed {
			t.Fatalf("first event after the rollback: %+v, want the committed %+v", ev, committed)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the committed event never arrived")
	}
}
