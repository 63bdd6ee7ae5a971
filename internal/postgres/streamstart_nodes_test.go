package postgres_test

import (
	"cmp"
	"reflect"
	"slices"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// Where streams start, list positions in a stream, and single rows by id
// for node(id).
func TestStreamStartAndNodes(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	client, fr := e.MustCreateClient(), e.MustCreateUser(hiringtest.UserOpts{Connects: 50})
	job := e.MustCreateJob(client)
	first := e.MustCreateInvitation(e.MustCreateJob(client), fr)
	_, room, k := e.MustCreateContract(job, fr) // a second invitation, accepted, a room, a contract

	t.Run("LastNotificationSeq, LastMessageSeq", func(t *testing.T) {
		if n := must[int64](t)(c.LastNotificationSeq(e.Ctx, fr.ID)); n != int64(e.Count(`SELECT count(*) FROM notifications WHERE user_id = $1`, fr.ID)) || n < 2 {
			t.Fatalf("notification seq %d", n)
		}
		if n := must[int64](t)(c.LastMessageSeq(e.Ctx, room.ID)); n != 1 {
			t.Fatalf("message seq %d", n)
		}
		_, err := c.LastNotificationSeq(e.Ctx, 1<<40)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		_, err = c.LastMessageSeq(e.Ctx, 1<<40)
		hiringtest.WantCode(t, err, market.CodeNotFound)
	})
	t.Run("ListInvitationsInFeed", func(t *testing.T) {
		var seqs []int64
		if err := e.DB.Select(&seqs, `SELECT seq FROM notifications WHERE user_id = $1 AND kind = 'INVITATION_RECEIVED' ORDER BY subject_id`, fr.ID); err != nil || len(seqs) != 2 {
			t.Fatalf("%v %v", seqs, err)
		}
		for _, count := range []bool{false, true} {
			items, pos, total, err := c.ListInvitationsInFeed(e.Ctx, postgres.InvitationFilter{FreelancerID: fr.ID, Staff: true}, fr.ID, market.PageRequest{Limit: 10, Count: count})
			if err != nil || len(items) != 2 || items[1].ID != first.ID {
				t.Fatalf("%v %v", items, err)
			}
			if count && total != 2 {
				t.Fatalf("total %d", total)
			}
			// Newest first; each position is the highest seq up to its id.
			if pos[items[1].ID] != seqs[0] || pos[items[0].ID] != max(seqs[0], seqs[1]) {
				t.Fatalf("positions %v, seqs %v", pos, seqs)
			}
		}
		_, none, _, err := c.ListInvitationsInFeed(e.Ctx, postgres.InvitationFilter{FreelancerID: fr.ID, Staff: true}, client.ID, market.PageRequest{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for id, p := range none {
			if p != 0 {
				t.Fatalf("the client's position of %d: %d", id, p)
			}
		}
	})
	t.Run("ListInvitationsWithJobs", func(t *testing.T) {
		// The same page as ListInvitationsInFeed, with the jobs and their
		// clients as JobsByID and UserByEmail read them; with and without the
		// staff scope (one branch, or a union of two), with the count,
		// and a page past the end.
		for _, f := range []postgres.InvitationFilter{{FreelancerID: fr.ID, Staff: true}, {FreelancerID: fr.ID}} {
			for _, p := range []market.PageRequest{{Limit: 10, Count: true}, {Limit: 1}, {Limit: 10, AfterID: first.ID}} {
				items, pos, total, err := c.ListInvitationsInFeed(e.Ctx, f, fr.ID, p)
				page, err2 := c.ListInvitationsWithJobs(e.Ctx, f, fr.ID, p)
				if err != nil || err2 != nil || !reflect.DeepEqual(page.Items, items) || !reflect.DeepEqual(page.Positions, pos) || page.Total != total {
					t.Fatalf("%+v %+v: %v %v %d (%v)\nwant %v %v %d (%v)", f, p, page.Items, page.Positions, page.Total, err2, items, pos, total, err)
				}
				jobIDs := ids(items, func(i *market.Invitation) int64 { return i.JobID })
				jobs := must[[]*market.Job](t)(c.JobsByID(e.Ctx, jobIDs))
				clients := []*market.User{}
				if len(items) > 0 {
					clients = append(clients, must[*market.User](t)(c.UserByEmail(e.Ctx, client.Email))) // read by sqlx
				}
				slices.SortFunc(jobs, func(a, b *market.Job) int { return cmp.Compare(a.ID, b.ID) })
				slices.SortFunc(page.Jobs, func(a, b *market.Job) int { return cmp.Compare(a.ID, b.ID) })
				if !reflect.DeepEqual(page.Jobs, jobs) || !reflect.DeepEqual(page.Clients, clients) {
					t.Fatalf("%+v %+v: jobs %v clients %v, want %v %v", f, p, page.Jobs, page.Clients, jobs, clients)
				}
			}
		}
	})
	t.Run("Notification, Message, LedgerEntry, Bonus, TimeEntry", func(t *testing.T) {
		var ids struct {
			Notification, Message, Ledger int64
		}
		if err := e.DB.Get(&ids.Notification, `SELECT max(id) FROM notifications WHERE user_id = $1`, fr.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.DB.Get(&ids.Message, `SELECT id FROM messages WHERE room_id = $1`, room.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.DB.Get(&ids.Ledger, `SELECT max(id) FROM connects_ledger WHERE user_id = $1`, fr.ID); err != nil {
			t.Fatal(err)
		}
		if n := must[*market.Notification](t)(c.Notification(e.Ctx, ids.Notification)); n.UserID != fr.ID {
			t.Fatalf("%+v", n)
		}
		if m := must[*market.Message](t)(c.Message(e.Ctx, ids.Message)); m.RoomID != room.ID || m.Seq != 1 {
			t.Fatalf("%+v", m)
		}
		if l := must[*market.LedgerEntry](t)(c.LedgerEntry(e.Ctx, ids.Ledger)); l.UserID == nil || *l.UserID != fr.ID {
			t.Fatalf("%+v", l)
		}
		var b *market.Bonus
		var te *market.TimeEntry
		e.Tx(func(c *postgres.Conn) (err error) {
			now := e.Clock.Now()
			if b, err = c.CreateBonus(e.Ctx, &market.Bonus{ContractID: k.ID, Amount: market.USD(1000), Note: "Thanks", PaidBy: client.ID, PaidAt: now}); err != nil {
				return err
			}
			te, err = c.CreateTimeEntry(e.Ctx, &market.TimeEntry{ContractID: k.ID, UserID: fr.ID, Minutes: 30, Memo: "Setup", Kind: market.TimeTracked, CreatedAt: now})
			return err
		})
		if got := must[*market.Bonus](t)(c.Bonus(e.Ctx, b.ID)); got.ContractID != k.ID || got.Amount != market.USD(1000) {
			t.Fatalf("%+v", got)
		}
		if got := must[*market.TimeEntry](t)(c.TimeEntry(e.Ctx, te.ID)); got.ContractID != k.ID || got.Minutes != 30 {
			t.Fatalf("%+v", got)
		}
		for name, err := range map[string]error{
			"Notification": second(c.Notification(e.Ctx, 1<<40)), "Message": second(c.Message(e.Ctx, 1<<40)),
			"LedgerEntry": second(c.LedgerEntry(e.Ctx, 1<<40)), "Bonus": second(c.Bonus(e.Ctx, 1<<40)),
			"TimeEntry": second(c.TimeEntry(e.Ctx, 1<<40)),
		} {
			if !market.IsCode(err, market.CodeNotFound) {
				t.Errorf("%s of a missing id: %v", name, err)
			}
		}
	})
}

func second[T any](_ T, err error) error { return err }
