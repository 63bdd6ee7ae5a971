package postgres_test

import (
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

func TestRooms(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	job := e.MustCreateJob(client)
	p := e.MustCreateProposal(job, fr)
	now := e.Clock.Now()

	var room *market.Room
	e.Tx(func(c *postgres.Conn) error {
		locked, err := c.Proposal(e.Ctx, p.ID, true)
		if err != nil {
			return err
		}
		room, err = c.CreateRoom(e.Ctx, p.ID, client.ID, []market.RoomMember{
			{UserID: client.ID, Role: market.RoomClient, JoinedAt: now}, {UserID: fr.ID, Role: market.RoomFreelancer, JoinedAt: now}}, now)
		if err != nil {
			return err
		}
		locked.Status, locked.UpdatedAt = market.ProposalActive, now
		return c.ActivateProposal(e.Ctx, locked)
	})
	t.Run("CreateRoom ErrConflict", func(t *testing.T) {
		_, err := c.CreateRoom(e.Ctx, p.ID, client.ID, nil, now)
		hiringtest.WantCode(t, err, market.CodeConflict)
	})
	t.Run("ActivateProposal", func(t *testing.T) {
		if got := must[*market.Proposal](t)(c.Proposal(e.Ctx, p.ID, false)); got.Status != market.ProposalActive {
			t.Fatalf("status %s", got.Status)
		}
	})
	t.Run("Room, RoomsByID, RoomOfProposal, RoomsByProposalID", func(t *testing.T) {
		if got := must[*market.Room](t)(c.Room(e.Ctx, room.ID, false)); got.ProposalID != p.ID || got.LastSeq != 0 {
			t.Fatalf("%+v", got)
		}
		_, err := c.Room(e.Ctx, 1<<40, false)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		if rs := must[[]*market.Room](t)(c.RoomsByID(e.Ctx, []int64{room.ID})); len(rs) != 1 {
			t.Fatal(len(rs))
		}
		if got := must[*market.Room](t)(c.RoomOfProposal(e.Ctx, p.ID, false)); got.ID != room.ID {
			t.Fatalf("%+v", got)
		}
		if rs := must[[]*market.Room](t)(c.RoomsByProposalID(e.Ctx, []int64{p.ID})); len(rs) != 1 || rs[0].ID != room.ID {
			t.Fatalf("%+v", rs)
		}
	})
	t.Run("MembersOfRooms", func(t *testing.T) {
		ms := must[[]*market.RoomMember](t)(c.MembersOfRooms(e.Ctx, []int64{room.ID}))
		if len(ms) != 2 || ms[0].UserID != client.ID || ms[1].Role != market.RoomFreelancer {
			t.Fatalf("%+v", ms)
		}
	})
	var msgs []*market.Message
	t.Run("AppendMessage numbers without gaps; MessageByClientID", func(t *testing.T) {
		cid := "retry-1"
		for i, body := range []string{"one", "two", "three"} {
			var id *string
			if i == 1 {
				id = &cid
			}
			var m *market.Message
			e.Tx(func(c *postgres.Conn) error {
				if _, err := c.Room(e.Ctx, room.ID, true); err != nil {
					return err
				}
				var err error
				m, err = c.AppendMessage(e.Ctx, room.ID, fr.ID, body, id, now.Add(time.Duration(i)*time.Minute))
				return err
			})
			if m.Seq != int64(i+1) {
				t.Fatalf("message %q has seq %d", body, m.Seq)
			}
			msgs = append(msgs, m)
		}
		_, err := c.AppendMessage(e.Ctx, room.ID, fr.ID, "two again", &cid, now)
		hiringtest.WantCode(t, err, market.CodeConflict)
		got := must[*market.Message](t)(c.MessageByClientID(e.Ctx, room.ID, fr.ID, cid))
		if got.ID != msgs[1].ID {
			t.Fatalf("MessageByClientID: %+v", got)
		}
		_, err = c.MessageByClientID(e.Ctx, room.ID, client.ID, cid)
		hiringtest.WantCode(t, err, market.CodeNotFound)
	})
	t.Run("ListMessages, LastMessagesOfRooms, MessagesAfter", func(t *testing.T) {
		fwd := must[[]*market.Message](t)(c.ListMessages(e.Ctx, room.ID, market.MessagePageRequest{Limit: 2}, 3))
		if len(fwd) != 3 || fwd[0].Seq != 1 {
			t.Fatalf("forwards: Limit+1 oldest first: %+v", fwd)
		}
		back := must[[]*market.Message](t)(c.ListMessages(e.Ctx, room.ID, market.MessagePageRequest{Limit: 1, Backward: true}, 3))
		if len(back) != 2 || back[len(back)-1].Seq != 3 {
			t.Fatalf("backwards: the newest, ascending: %+v", back)
		}
		capped := must[[]*market.Message](t)(c.ListMessages(e.Ctx, room.ID, market.MessagePageRequest{Limit: 10}, 2))
		if len(capped) != 2 {
			t.Fatalf("maxSeq 2: %+v", capped)
		}
		last := must[[]*market.Message](t)(c.LastMessagesOfRooms(e.Ctx, []int64{room.ID}))
		if len(last) != 1 || last[0].Body != "three" {
			t.Fatalf("%+v", last)
		}
		after := must[[]*market.Message](t)(c.MessagesAfter(e.Ctx, room.ID, 1, 10))
		if len(after) != 2 || after[0].Seq != 2 || after[1].Seq != 3 {
			t.Fatalf("%+v", after)
		}
	})
	t.Run("AdvanceRoomRead never goes back", func(t *testing.T) {
		for _, seq := range []int64{2, 1} {
			if err := c.AdvanceRoomRead(e.Ctx, room.ID, client.ID, seq); err != nil {
				t.Fatal(err)
			}
		}
		ms := must[[]*market.RoomMember](t)(c.MembersOfRooms(e.Ctx, []int64{room.ID}))
		if ms[0].LastReadSeq != 2 {
			t.Fatalf("read position %d, want 2", ms[0].LastReadSeq)
		}
	})
	t.Run("RoomsOfMember", func(t *testing.T) {
		e.Clock.Advance(time.Hour) // after room's last message
		p2 := e.MustCreateProposal(e.MustCreateJob(client), fr)
		room2 := e.MustCreateRoom(job, p2)
		items, total, err := c.RoomsOfMember(e.Ctx, fr.ID, market.RoomPageRequest{Limit: 1})
		if err != nil || total != 2 || len(items) != 2 || items[0].Room.ID != room2.ID {
			t.Fatalf("most recently active first: %d of %d, %v", len(items), total, err)
		}
		rest, _, err := c.RoomsOfMember(e.Ctx, fr.ID, market.RoomPageRequest{Limit: 1, After: &items[0].Key})
		if err != nil || len(rest) != 1 || rest[0].Room.ID != room.ID {
			t.Fatalf("page 2: %+v %v", rest, err)
		}
	})
	t.Run("RoomsWithContract", func(t *testing.T) {
		if got := must[[]int64](t)(c.RoomsWithContract(e.Ctx, []int64{room.ID})); len(got) != 0 {
			t.Fatalf("no contract yet: %v", got)
		}
		job3 := e.MustCreateJob(client)
		_, room3, _ := e.MustCreateContract(job3, fr)
		got := must[[]int64](t)(c.RoomsWithContract(e.Ctx, []int64{room.ID, room3.ID}))
		sameIDs(t, "RoomsWithContract: a contract between the two parties opens all their rooms", got, []int64{room.ID, room3.ID})
	})
}
