package hiring_test

import (
	"reflect"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
)

// Where subscriptions start live, list positions in the invitation stream,
// and objects by id for node(id) to whoever may see them.
func TestStreamStartAndNodes(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client, fr, outsider := e.MustCreateClient(), e.MustCreateUser(hiringtest.UserOpts{Connects: 50}), e.MustCreateUser()
	job := e.MustCreateJob(client)
	older := e.MustCreateInvitation(e.MustCreateJob(client), fr)
	_, room, k := e.MustCreateContract(job, fr)

	t.Run("LiveNotificationPosition, LiveMessagePosition", func(t *testing.T) {
		n, err := e.Hiring.LiveNotificationPosition(e.Ctx, fr.ID)
		if err != nil || n != int64(e.Count(`SELECT count(*) FROM notifications WHERE user_id = $1`, fr.ID)) {
			t.Fatalf("%d %v", n, err)
		}
		m, err := e.Hiring.LiveMessagePosition(e.Ctx, fr.ID, room.ID)
		if err != nil || m != 1 {
			t.Fatalf("%d %v", m, err)
		}
		_, err = e.Hiring.LiveMessagePosition(e.Ctx, outsider.ID, room.ID)
		hiringtest.WantCode(t, err, market.CodeNotFound)
	})
	t.Run("InvitationsWithPositions", func(t *testing.T) {
		page, pos, err := e.Hiring.InvitationsWithPositions(e.Ctx, fr.ID, hiring.InvitationFilter{}, market.PageRequest{Limit: 10})
		if err != nil || len(page.Items) != 2 {
			t.Fatalf("%+v %v", page, err)
		}
		// The newest edge stands for the highest position the list shows;
		// the older one for its own.
		newest, oldest := page.Items[0], page.Items[1]
		if oldest.ID != older.ID || pos[oldest.ID] <= 0 || pos[newest.ID] <= pos[oldest.ID] {
			t.Fatalf("positions %v for %d, %d", pos, newest.ID, oldest.ID)
		}
		live, _ := e.Hiring.LiveNotificationPosition(e.Ctx, fr.ID)
		if pos[newest.ID] > live {
			t.Fatalf("position %d beyond the stream's end %d", pos[newest.ID], live)
		}
		empty, none, err := e.Hiring.InvitationsWithPositions(e.Ctx, outsider.ID, hiring.InvitationFilter{}, market.PageRequest{Limit: 10})
		if err != nil || len(empty.Items) != 0 || len(none) != 0 {
			t.Fatalf("%+v %v %v", empty, none, err)
		}
	})
	t.Run("InvitationsWithJobs", func(t *testing.T) {
		page, pos, _ := e.Hiring.InvitationsWithPositions(e.Ctx, fr.ID, hiring.InvitationFilter{}, market.PageRequest{Limit: 1})
		feed, err := e.Hiring.InvitationsWithJobs(e.Ctx, fr.ID, hiring.InvitationFilter{}, market.PageRequest{Limit: 1})
		if err != nil || !reflect.DeepEqual(feed.Page, page) || !reflect.DeepEqual(feed.Positions, pos) || len(page.Items) != 1 || !page.HasNext {
			t.Fatalf("%+v %v, want %+v %v (%v)", feed.Page, feed.Positions, page, pos, err)
		}
		if j := feed.Jobs[job.ID]; j == nil || j.Title != job.Title || feed.Clients[client.ID] == nil || feed.Clients[client.ID].Name != client.Name {
			t.Fatalf("jobs %v clients %v", feed.Jobs, feed.Clients)
		}
		empty, err := e.Hiring.InvitationsWithJobs(e.Ctx, outsider.ID, hiring.InvitationFilter{}, market.PageRequest{Limit: 10})
		if err != nil || len(empty.Page.Items) != 0 || len(empty.Jobs) != 0 || len(empty.Clients) != 0 {
			t.Fatalf("%+v %v", empty, err)
		}
	})
	t.Run("Notification, Message, LedgerEntry, Bonus, TimeEntry", func(t *testing.T) {
		var nid, mid, lid int64
		for q, dest := range map[string]*int64{
			`SELECT max(id) FROM notifications WHERE user_id = $1`:   &nid,
			`SELECT max(id) FROM connects_ledger WHERE user_id = $1`: &lid,
		} {
			if err := e.DB.Get(dest, q, fr.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.DB.Get(&mid, `SELECT id FROM messages WHERE room_id = $1`, room.ID); err != nil {
			t.Fatal(err)
		}
		b, _, err := e.Hiring.PayBonus(e.Ctx, client.ID, hiring.PayBonusInput{ContractID: k.ID, Amount: market.USD(1000), Note: "Thanks"})
		if err != nil {
			t.Fatal(err)
		}
		te, _, err := e.Hiring.LogTime(e.Ctx, fr.ID, hiring.LogTimeInput{ContractID: k.ID, Minutes: 30, Memo: "Setup"})
		if err != nil {
			t.Fatal(err)
		}
		type lookup func(viewer int64) error
		for name, c := range map[string]struct {
			get     lookup
			allowed []int64
		}{
			"Notification": {func(v int64) error { return second(e.Hiring.Notification(e.Ctx, v, nid)) }, []int64{fr.ID}},
			"Message":      {func(v int64) error { return second(e.Hiring.Message(e.Ctx, v, mid)) }, []int64{fr.ID, client.ID}},
			"LedgerEntry":  {func(v int64) error { return second(e.Hiring.LedgerEntry(e.Ctx, v, lid)) }, []int64{fr.ID}},
			"Bonus":        {func(v int64) error { return second(e.Hiring.Bonus(e.Ctx, v, b.ID)) }, []int64{fr.ID, client.ID}},
			"TimeEntry":    {func(v int64) error { return second(e.Hiring.TimeEntry(e.Ctx, v, te.ID)) }, []int64{fr.ID, client.ID}},
		} {
			for _, v := range c.allowed {
				if err := c.get(v); err != nil {
					t.Errorf("%s to user %d: %v", name, v, err)
				}
			}
			hiringtest.WantCode(t, c.get(outsider.ID), market.CodeNotFound)
		}
		_, err = e.Hiring.Notification(e.Ctx, fr.ID, 1<<40)
		hiringtest.WantCode(t, err, market.CodeNotFound)

		// An agency's ledger: to its staff only.
		owner := e.MustCreateUser()
		a := e.MustCreateAgency(owner, 30, map[*market.User]market.AgencyRole{outsider: market.RoleMember})
		var aid int64
		if err := e.DB.Get(&aid, `SELECT max(id) FROM connects_ledger WHERE agency_id = $1`, a.ID); err != nil {
			t.Fatal(err)
		}
		if entry, err := e.Hiring.LedgerEntry(e.Ctx, owner.ID, aid); err != nil || entry.AgencyID == nil || *entry.AgencyID != a.ID {
			t.Fatalf("%+v %v", entry, err)
		}
		_, err = e.Hiring.LedgerEntry(e.Ctx, outsider.ID, aid) // a member, not staff
		hiringtest.WantCode(t, err, market.CodeNotFound)
	})
}

func second[T any](_ T, err error) error { return err }
