package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/server"
)

// tokens caches sign-ins per app: each login runs bcrypt, which is slow.
var tokens sync.Map

type tokenKey struct {
	a     *app
	email string
}

// tok returns a token for the user, signing in once per app.
func (a *app) tok(email string) string {
	a.t.Helper()
	if t, ok := tokens.Load(tokenKey{a, email}); ok {
		return t.(string)
	}
	t := a.login(email)
	tokens.Store(tokenKey{a, email}, t)
	return t
}

// userID looks a user up by email.
func (a *app) userID(email string) int64 {
	a.t.Helper()
	var id int64
	if err := a.DB.Get(&id, `SELECT id FROM users WHERE email = $1`, email); err != nil {
		a.t.Fatal(err)
	}
	return id
}

const roomFields = `id unreadCount contactSharingAllowed createdAt
  members { role lastReadSeq user { id name } }
  lastMessage { id seq body sender { name } }
  proposal { id status } job { title }`

const messageProposalMutation = `mutation($in: MessageProposalInput!) { messageProposal(input: $in) {
  proposal { id status room { id } }
  room { ` + roomFields + ` }
  message { id seq body clientMessageId sender { name } room { id } }
} }`

const sendMessageMutation = `mutation($in: SendMessageInput!) { sendMessage(input: $in) {
  message { id seq body clientMessageId sender { name } room { id } }
  room { id unreadCount lastMessage { seq } }
} }`

const markRoomReadMutation = `mutation($in: MarkRoomReadInput!) { markRoomRead(input: $in) { room { id unreadCount members { role lastReadSeq } } } }`

const roomQuery = `query($id: ID!) { room(id: $id) { ` + roomFields + ` } }`

type roomMember struct {
	Role        string
	LastReadSeq int
	User        struct{ ID, Name string }
}

type message struct {
	ID              string
	Seq             int
	Body            string
	ClientMessageID *string
	Sender          struct{ Name string }
	Room            struct{ ID string }
}

type room struct {
	ID                    string
	UnreadCount           int
	ContactSharingAllowed bool
	Members               []roomMember
	LastMessage           *message
	Proposal              struct{ ID, Status string }
	Job                   struct{ Title string }
}

// memberList is "ROLE:name" of each member, sorted.
func (r room) memberList() string {
	var out []string
	for _, m := range r.Members {
		out = append(out, m.Role+":"+m.User.Name)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

type messageProposalResult struct {
	MessageProposal struct {
		Proposal struct {
			ID, Status string
			Room       *struct{ ID string }
		}
		Room    room
		Message message
	}
}

type sendResult struct {
	SendMessage struct {
		Message message
		Room    struct {
			ID          string
			UnreadCount int
		}
	}
}

func (a *app) messageProposal(token, proposalID, body string) messageProposalResult {
	a.t.Helper()
	var d messageProposalResult
	a.ok(token, messageProposalMutation, map[string]any{"in": map[string]any{"proposalId": proposalID, "body": body}}, &d)
	return d
}

func (a *app) send(token, roomID, body string) message {
	a.t.Helper()
	var d sendResult
	a.ok(token, sendMessageMutation, map[string]any{"in": map[string]any{"roomId": roomID, "body": body}}, &d)
	return d.SendMessage.Message
}

func (a *app) room(token, id string) room {
	a.t.Helper()
	var d struct{ Room room }
	a.ok(token, roomQuery, map[string]any{"id": id}, &d)
	return d.Room
}

// accept submits a proposal by accepting an invitation and returns its id.
func (a *app) accept(token, invitationID string) string {
	a.t.Helper()
	var d struct {
		AcceptInvitation struct{ Proposal struct{ ID string } }
	}
	a.ok(token, `mutation($id: ID!) { acceptInvitation(input: {invitationId: $id, coverLetter: "Glad to help with this."}) { proposal { id } } }`,
		map[string]any{"id": invitationID}, &d)
	return d.AcceptInvitation.Proposal.ID
}

// demoProposal: the demo freelancer accepts the React dashboard invitation.
func (a *app) demoProposal() string {
	a.t.Helper()
	fr := a.tok(hiring.DemoFreelancer)
	return a.accept(fr, a.invitations(fr, map[string]any{"status": "PENDING"}).byTitle(a.t, "React dashboard").ID)
}

// roomState summarizes everything the room mutations could change.
func (a *app) roomState() string {
	a.t.Helper()
	var s string
	err := a.DB.Get(&s, `SELECT concat_ws(' | ',
		(SELECT count(*) FROM rooms), (SELECT coalesce(sum(last_seq), 0) FROM rooms), (SELECT count(*) FROM messages),
		(SELECT count(*) FROM room_members), (SELECT coalesce(sum(last_read_seq), 0) FROM room_members),
		(SELECT string_agg(concat(id, status), ',' ORDER BY id) FROM proposals),
		(SELECT string_agg(last_activity_at::text, ',' ORDER BY id) FROM jobs))`)
	if err != nil {
		a.t.Fatal(err)
	}
	return s + " | " + a.state()
}

// TestMessageProposal: the client's first message activates the proposal and
// opens its room once (R13); later calls only send (R15).
func TestMessageProposal(t *testing.T) {
	a := newApp(t)
	client := a.tok(hiring.DemoClient)
	fr := a.tok(hiring.DemoFreelancer)
	owner := a.tok(hiring.DemoOwner)
	prop := a.demoProposal()

	t.Run("ErrForbidden freelancer", func(t *testing.T) {
		before := a.roomState()
		a.fails("FORBIDDEN", fr, messageProposalMutation, map[string]any{"in": map[string]any{"proposalId": prop, "body": "Hello"}})
		if after := a.roomState(); after != before {
			t.Errorf("changed:\n%s\n%s", before, after)
		}
	})
	t.Run("ErrNotFound outsider", func(t *testing.T) {
		a.fails("NOT_FOUND", owner, messageProposalMutation, map[string]any{"in": map[string]any{"proposalId": prop, "body": "Hello"}})
		a.fails("NOT_FOUND", client, messageProposalMutation, map[string]any{"in": map[string]any{"proposalId": gid("Proposal", 999999), "body": "Hello"}})
	})
	t.Run("ErrValidation body", func(t *testing.T) {
		before := a.roomState()
		for _, body := range []string{"", "   ", strings.Repeat("x", 5001)} {
			r := a.fails("VALIDATION_FAILED", client, messageProposalMutation, map[string]any{"in": map[string]any{"proposalId": prop, "body": body}})
			if r.Errors[0].Extensions["field"] != "input.body" {
				t.Errorf("want field input.body, got %+v", r.Errors[0])
			}
		}
		if after := a.roomState(); after != before {
			t.Errorf("changed:\n%s\n%s", before, after)
		}
	})

	a.Clock.Advance(2 * time.Hour)
	first := a.messageProposal(client, prop, "  Hi Frankie, thanks for applying. When could you start?  ").MessageProposal
	if first.Proposal.Status != "ACTIVE" || first.Proposal.Room == nil || first.Proposal.Room.ID != first.Room.ID {
		t.Fatalf("R13: want the proposal ACTIVE with its room, got %+v", first.Proposal)
	}
	if got := first.Room.memberList(); got != "CLIENT:Casey Client, FREELANCER:Frankie Freelancer" {
		t.Errorf("R14: members %s", got)
	}
	m := first.Message
	if m.Seq != 1 || m.Body != "Hi Frankie, thanks for applying. When could you start?" || m.Sender.Name != "Casey Client" || m.Room.ID != first.Room.ID {
		t.Errorf("first message: %+v", m)
	}
	if first.Room.UnreadCount != 0 || first.Room.LastMessage == nil || first.Room.LastMessage.Seq != 1 || first.Room.Job.Title == "" {
		t.Errorf("room as the client sees it: %+v", first.Room)
	}
	if a.count(`SELECT count(*) FROM jobs WHERE last_activity_at = $1`, a.Clock.Now()) != 1 {
		t.Error("R2: the client's message should touch the job")
	}

	// The freelancer is notified, sees the room on the proposal with one unread message.
	frID := a.userID(hiring.DemoFreelancer)
	if n := a.count(`SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'PROPOSAL_ACTIVATED' AND subject_type = 'ROOM'`, frID); n != 1 {
		t.Errorf("want one PROPOSAL_ACTIVATED notification, got %d", n)
	}
	if n := a.count(`SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'MESSAGE_RECEIVED' AND subject_type = 'ROOM'`, frID); n != 1 {
		t.Errorf("want one MESSAGE_RECEIVED notification, got %d", n)
	}
	var mine struct {
		Proposals struct {
			Edges []struct {
				Node struct {
					ID, Status string
					Room       *struct {
						ID          string
						UnreadCount int
					}
				}
			}
		}
	}
	a.ok(fr, `{ proposals { edges { node { id status room { id unreadCount } } } } }`, nil, &mine)
	if p := mine.Proposals.Edges[0].Node; p.ID != prop || p.Status != "ACTIVE" || p.Room == nil || p.Room.ID != first.Room.ID || p.Room.UnreadCount != 1 {
		t.Errorf("the freelancer's proposal: %+v", p)
	}

	// A second call sends into the same room: no second room, no second activation.
	second := a.messageProposal(client, prop, "Also: do you have time for a call?").MessageProposal
	if second.Room.ID != first.Room.ID || second.Message.Seq != 2 {
		t.Errorf("second call: room %s seq %d", second.Room.ID, second.Message.Seq)
	}
	if n := a.count(`SELECT count(*) FROM rooms`); n != 1 {
		t.Errorf("want one room, got %d", n)
	}
	if n := a.count(`SELECT count(*) FROM notifications WHERE kind = 'PROPOSAL_ACTIVATED'`); n != 1 {
		t.Errorf("want one activation notification, got %d", n)
	}

	// A proposal that is no longer live cannot be responded to.
	if _, err := a.DB.Exec(`UPDATE proposals SET status = 'DECLINED' WHERE id = (SELECT proposal_id FROM rooms)`); err != nil {
		t.Fatal(err)
	}
	a.fails("INVALID_STATE", client, messageProposalMutation, map[string]any{"in": map[string]any{"proposalId": prop, "body": "Hello?"}})
}

// TestRoomMembersR14 opens the room of an agency proposal in each R14 case
// through the API (issue 3, acceptance 2).
func TestRoomMembersR14(t *testing.T) {
	landing := func(a *app, token string) invitationNode {
		return a.invitations(token, map[string]any{"status": "PENDING"}).byTitle(a.t, "Landing page")
	}
	northwind := func(a *app) int64 {
		var id int64
		if err := a.DB.Get(&id, `SELECT id FROM agencies WHERE name = 'Northwind Studio'`); err != nil {
			t.Fatal(err)
		}
		return id
	}
	// invite has the client invite a freelancer to the Landing page job through an agency.
	invite := func(a *app, jobID string, freelancer, agency int64) string {
		var d struct {
			InviteFreelancer struct{ Invitation struct{ ID string } }
		}
		a.ok(a.tok(hiring.DemoClient), `mutation($j: ID!, $f: ID!, $ag: ID) { inviteFreelancer(input: {jobId: $j, freelancerId: $f, agencyId: $ag}) { invitation { id } } }`,
			map[string]any{"j": jobID, "f": gid("User", freelancer), "ag": gid("Agency", agency)}, &d)
		return d.InviteFreelancer.Invitation.ID
	}
	check := func(a *app, prop, want string, readers, outsiders []string) {
		t.Helper()
		client := a.tok(hiring.DemoClient)
		res := a.messageProposal(client, prop, "Thanks for the proposal, let's talk scope.").MessageProposal
		if got := res.Room.memberList(); got != want {
			t.Errorf("R14: want members %s, got %s", want, got)
		}
		if n := a.count(`SELECT count(*) FROM notifications WHERE kind = 'PROPOSAL_ACTIVATED'`); n != len(res.Room.Members)-1 {
			t.Errorf("want every non-client member notified of the activation, got %d notifications", n)
		}
		for _, email := range readers {
			if r := a.room(a.tok(email), res.Room.ID); r.UnreadCount != 1 {
				t.Errorf("%s: want one unread message, got %+v", email, r)
			}
		}
		for _, email := range outsiders {
			a.fails("NOT_FOUND", a.tok(email), roomQuery, map[string]any{"id": res.Room.ID})
		}
	}

	t.Run("member submits: client, member, business manager", func(t *testing.T) {
		a := newApp(t)
		member := a.tok(hiring.DemoMember)
		prop := a.accept(member, landing(a, member).ID)
		check(a, prop, "BUSINESS_MANAGER:Manny Manager, CLIENT:Casey Client, FREELANCER:Mia Member",
			[]string{hiring.DemoMember, hiring.DemoManager}, []string{hiring.DemoOwner, hiring.DemoFreelancer})
	})
	t.Run("business manager submits for the member: client, member, business manager", func(t *testing.T) {
		a := newApp(t)
		manager := a.tok(hiring.DemoManager)
		prop := a.accept(manager, landing(a, a.tok(hiring.DemoMember)).ID)
		check(a, prop, "BUSINESS_MANAGER:Manny Manager, CLIENT:Casey Client, FREELANCER:Mia Member",
			[]string{hiring.DemoMember, hiring.DemoManager}, []string{hiring.DemoOwner})
	})
	t.Run("business manager is the freelancer: client and manager only", func(t *testing.T) {
		a := newApp(t)
		job := landing(a, a.tok(hiring.DemoMember)).Job.ID
		inv := invite(a, job, a.userID(hiring.DemoManager), northwind(a))
		prop := a.accept(a.tok(hiring.DemoManager), inv)
		check(a, prop, "CLIENT:Casey Client, FREELANCER:Manny Manager",
			[]string{hiring.DemoManager}, []string{hiring.DemoOwner, hiring.DemoMember})
	})
	t.Run("agency without business manager: client, member, owner", func(t *testing.T) {
		a := newApp(t)
		hash, err := auth.HashPassword(hiring.DemoPassword)
		if err != nil {
			t.Fatal(err)
		}
		var solo int64
		err = postgres.New(a.DB).Transact(context.Background(), func(c *postgres.Conn) error {
			now := a.Clock.Now()
			ag, err := c.CreateAgency(context.Background(), "Solo Works", now)
			if err != nil {
				return err
			}
			solo = ag.ID
			o, err := c.CreateUser(context.Background(), "owner@solo.hiregraph.test", "Sol Owner", hash, now)
			if err != nil {
				return err
			}
			if err := c.AddAgencyMember(context.Background(), ag.ID, o.ID, market.RoleOwner, now); err != nil {
				return err
			}
			if err := c.AddAgencyMember(context.Background(), ag.ID, a.userID(hiring.DemoFreelancer), market.RoleMember, now); err != nil {
				return err
			}
			_, err = c.AddLedgerEntry(context.Background(), market.ConnectsOwner{AgencyID: ag.ID}, market.LedgerGrant, 50, nil, "Welcome grant", now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		job := landing(a, a.tok(hiring.DemoMember)).Job.ID
		inv := invite(a, job, a.userID(hiring.DemoFreelancer), solo)
		prop := a.accept(a.tok(hiring.DemoFreelancer), inv)
		check(a, prop, "AGENCY_OWNER:Sol Owner, CLIENT:Casey Client, FREELANCER:Frankie Freelancer",
			[]string{hiring.DemoFreelancer, "owner@solo.hiregraph.test"}, []string{hiring.DemoOwner, hiring.DemoManager})
	})
}

// TestMessageProposalConcurrently: simultaneous first messages open exactly
// one room; every call succeeds (the job and proposal row locks serialize
// them, the later ones find the room and just send) (issue 3, acceptance 6).
func TestMessageProposalConcurrently(t *testing.T) {
	for _, n := range []int{2, 10} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			a := newApp(t)
			client := a.tok(hiring.DemoClient)
			prop := a.demoProposal()
			var wg sync.WaitGroup
			results := make([]*response, n)
			for i := range results {
				wg.Go(func() {
					results[i] = a.post(client, messageProposalMutation, map[string]any{"in": map[string]any{"proposalId": prop, "body": fmt.Sprintf("Hello %d", i)}})
				})
			}
			wg.Wait()
			roomIDs := map[string]bool{}
			var seqs []int
			for _, r := range results {
				if len(r.Errors) > 0 {
					t.Fatalf("want every call to succeed, got %+v", r.Errors)
				}
				var d messageProposalResult
				decode(t, r, &d)
				roomIDs[d.MessageProposal.Room.ID] = true
				seqs = append(seqs, d.MessageProposal.Message.Seq)
			}
			if len(roomIDs) != 1 || a.count(`SELECT count(*) FROM rooms`) != 1 {
				t.Errorf("want one room, got %v", roomIDs)
			}
			if a.count(`SELECT count(*) FROM room_members`) != 2 || a.count(`SELECT count(*) FROM notifications WHERE kind = 'PROPOSAL_ACTIVATED'`) != 1 {
				t.Error("want the members and the activation notification written once")
			}
			slices.Sort(seqs)
			for i, s := range seqs {
				if s != i+1 {
					t.Fatalf("want seq 1..%d, got %v", n, seqs)
				}
			}
		})
	}
}

func decode(t *testing.T, r *response, dest any) {
	t.Helper()
	if err := json.Unmarshal(r.Data, dest); err != nil {
		t.Fatalf("decode %s: %v", r.Data, err)
	}
}

// openDemoRoom opens the room of the demo freelancer's React dashboard proposal.
func openDemoRoom(a *app) (roomID, proposalID string) {
	a.t.Helper()
	prop := a.demoProposal()
	res := a.messageProposal(a.tok(hiring.DemoClient), prop, "Hi Frankie, thanks for applying.").MessageProposal
	return res.Room.ID, prop
}

// TestSendMessageConcurrently: 50 simultaneous messages from both members
// get seq 2..51 after the opening message, with no gap and no duplicate (R15,
// issue 3, acceptance 6).
func TestSendMessageConcurrently(t *testing.T) {
	a := newApp(t)
	roomID, _ := openDemoRoom(a)
	tokens := []string{a.tok(hiring.DemoClient), a.tok(hiring.DemoFreelancer)}
	var wg sync.WaitGroup
	results := make([]*response, 50)
	for i := range results {
		wg.Go(func() {
			results[i] = a.post(tokens[i%2], sendMessageMutation, map[string]any{"in": map[string]any{"roomId": roomID, "body": fmt.Sprintf("message %d", i)}})
		})
	}
	wg.Wait()
	var seqs []int
	for _, r := range results {
		if len(r.Errors) > 0 {
			t.Fatalf("unexpected errors: %+v", r.Errors)
		}
		var d sendResult
		decode(t, r, &d)
		seqs = append(seqs, d.SendMessage.Message.Seq)
	}
	slices.Sort(seqs)
	for i, s := range seqs {
		if s != i+2 {
			t.Fatalf("want seq 2..51 with no gap and no duplicate, got %v", seqs)
		}
	}
	var stored []int
	if err := a.DB.Select(&stored, `SELECT seq FROM messages ORDER BY seq`); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 51 || stored[0] != 1 || stored[50] != 51 || a.count(`SELECT count(DISTINCT seq) FROM messages`) != 51 {
		t.Errorf("stored seqs: %v", stored)
	}
	if a.count(`SELECT last_seq FROM rooms`) != 51 {
		t.Error("want last_seq 51")
	}
	// Messages are in commit order: a higher seq never has an earlier id.
	if a.count(`SELECT count(*) FROM messages m1 JOIN messages m2 ON m1.seq < m2.seq AND m1.id > m2.id`) != 0 {
		t.Error("sequence numbers out of insertion order")
	}

	// Mixed with the client's messageProposal calls (job, proposal, room
	// locks) the sends still all succeed: the lock order holds, no deadlock.
	prop := gid("Proposal", int64(a.count(`SELECT proposal_id FROM rooms`)))
	mixed := make([]*response, 30)
	for i := range mixed {
		wg.Go(func() {
			switch i % 3 {
			case 0:
				mixed[i] = a.post(tokens[0], messageProposalMutation, map[string]any{"in": map[string]any{"proposalId": prop, "body": fmt.Sprintf("follow-up %d", i)}})
			default:
				mixed[i] = a.post(tokens[i%3-1], sendMessageMutation, map[string]any{"in": map[string]any{"roomId": roomID, "body": fmt.Sprintf("mixed %d", i)}})
			}
		})
	}
	wg.Wait()
	for _, r := range mixed {
		if len(r.Errors) > 0 {
			t.Fatalf("unexpected errors: %+v", r.Errors)
		}
	}
	if a.count(`SELECT count(DISTINCT seq) FROM messages`) != 81 || a.count(`SELECT max(seq) FROM messages`) != 81 || a.count(`SELECT count(*) FROM rooms`) != 1 {
		t.Error("want 81 messages numbered 1..81 in one room")
	}
}

// TestSendMessageIdempotent: a message retried with the same clientMessageId
// is stored once and the same message is returned (R15, issue 3, acceptance 6).
func TestSendMessageIdempotent(t *testing.T) {
	a := newApp(t)
	roomID, _ := openDemoRoom(a)
	fr := a.tok(hiring.DemoFreelancer)
	client := a.tok(hiring.DemoClient)
	in := map[string]any{"roomId": roomID, "body": "I can start on Monday.", "clientMessageId": "6f1c0b7e-5d7a-4c8e-9a36-0d5c2f0e8b11"}

	var first sendResult
	a.ok(fr, sendMessageMutation, map[string]any{"in": in}, &first)
	m := first.SendMessage.Message
	if m.Seq != 2 || m.ClientMessageID == nil || *m.ClientMessageID != in["clientMessageId"] {
		t.Fatalf("first send: %+v", m)
	}
	before := a.roomState()

	// Sequential and concurrent retries all return the stored message.
	var wg sync.WaitGroup
	results := make([]*response, 10)
	for i := range results {
		wg.Go(func() { results[i] = a.post(fr, sendMessageMutation, map[string]any{"in": in}) })
	}
	wg.Wait()
	for _, r := range results {
		var d sendResult
		if len(r.Errors) > 0 {
			t.Fatalf("retry failed: %+v", r.Errors)
		}
		decode(t, r, &d)
		if d.SendMessage.Message.ID != m.ID || d.SendMessage.Message.Seq != 2 {
			t.Errorf("retry returned another message: %+v", d.SendMessage.Message)
		}
	}
	if after := a.roomState(); after != before {
		t.Errorf("a retry changed something:\n%s\n%s", before, after)
	}
	if n := a.count(`SELECT count(*) FROM messages WHERE client_message_id = $1`, in["clientMessageId"]); n != 1 {
		t.Errorf("want the message stored once, got %d", n)
	}

	// The id is the sender's own: the other member may use the same one.
	var other sendResult
	a.ok(client, sendMessageMutation, map[string]any{"in": in}, &other)
	if other.SendMessage.Message.ID == m.ID || other.SendMessage.Message.Seq != 3 {
		t.Errorf("another sender's message with the same id: %+v", other.SendMessage.Message)
	}

	// messageProposal is idempotent the same way.
	prop := a.count(`SELECT proposal_id FROM rooms`)
	pin := map[string]any{"proposalId": gid("Proposal", int64(prop)), "body": "Following up.", "clientMessageId": "retry-1"}
	var p1, p2 messageProposalResult
	a.ok(client, messageProposalMutation, map[string]any{"in": pin}, &p1)
	a.ok(client, messageProposalMutation, map[string]any{"in": pin}, &p2)
	if p1.MessageProposal.Message.ID != p2.MessageProposal.Message.ID || a.count(`SELECT count(*) FROM messages WHERE client_message_id = 'retry-1'`) != 1 {
		t.Errorf("messageProposal retry: %+v then %+v", p1.MessageProposal.Message, p2.MessageProposal.Message)
	}
}

// TestRoomOutsiderR16: a non-member can neither read, send to, nor mark a
// room read, and learns nothing about its existence.
func TestRoomOutsiderR16(t *testing.T) {
	a := newApp(t)
	roomID, prop := openDemoRoom(a)
	owner := a.tok(hiring.DemoOwner)
	before := a.roomState()
	a.fails("NOT_FOUND", owner, roomQuery, map[string]any{"id": roomID})
	a.fails("NOT_FOUND", owner, roomQuery, map[string]any{"id": gid("Room", 999999)})
	a.fails("NOT_FOUND", owner, sendMessageMutation, map[string]any{"in": map[string]any{"roomId": roomID, "body": "Hello from outside"}})
	a.fails("NOT_FOUND", owner, markRoomReadMutation, map[string]any{"in": map[string]any{"roomId": roomID}})
	a.fails("NOT_FOUND", owner, messageProposalMutation, map[string]any{"in": map[string]any{"proposalId": prop, "body": "Hello"}})
	var d struct{ Rooms struct{ TotalCount int } }
	a.ok(owner, `{ rooms { totalCount } }`, nil, &d)
	if d.Rooms.TotalCount != 0 {
		t.Errorf("the outsider lists %d rooms", d.Rooms.TotalCount)
	}
	if after := a.roomState(); after != before {
		t.Errorf("changed:\n%s\n%s", before, after)
	}
	a.fails("VALIDATION_FAILED", owner, roomQuery, map[string]any{"id": prop}) // a proposal id is no room id
}

// TestRoomContactInfoR17: contact details are refused in a room until a
// contract exists between the client and the freelancer, and accepted after.
func TestRoomContactInfoR17(t *testing.T) {
	a := newApp(t)
	client := a.tok(hiring.DemoClient)
	fr := a.tok(hiring.DemoFreelancer)
	prop := a.demoProposal()

	// The first message is checked too: nothing is opened.
	before := a.roomState()
	r := a.fails("CONTACT_INFO_NOT_ALLOWED", client, messageProposalMutation, map[string]any{"in": map[string]any{"proposalId": prop, "body": "Mail me at casey@example.com"}})
	if r.Errors[0].Extensions["field"] != "input.body" {
		t.Errorf("want field input.body, got %+v", r.Errors[0])
	}
	if after := a.roomState(); after != before {
		t.Errorf("changed:\n%s\n%s", before, after)
	}
	res := a.messageProposal(client, prop, "Let's talk here first.").MessageProposal
	if res.Room.ContactSharingAllowed {
		t.Error("contact sharing allowed before a contract")
	}
	before = a.roomState()
	a.fails("CONTACT_INFO_NOT_ALLOWED", fr, sendMessageMutation, map[string]any{"in": map[string]any{"roomId": res.Room.ID, "body": "frankie dot dev at gmail dot com"}})
	if after := a.roomState(); after != before {
		t.Errorf("changed:\n%s\n%s", before, after)
	}

	// A contract between the two (written directly: offers are another area's).
	var offerID int64
	if err := a.DB.Get(&offerID, `INSERT INTO offers (proposal_id, client_id, hourly_rate_minor, status, created_at, responded_at)
		SELECT p.id, j.client_id, 5000, 'ACCEPTED', now(), now() FROM proposals p JOIN jobs j ON j.id = p.job_id RETURNING id`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.Exec(`INSERT INTO contracts (offer_id, proposal_id, job_id, client_id, freelancer_id, contract_type, hourly_rate_minor)
		SELECT o.id, p.id, p.job_id, o.client_id, p.freelancer_id, 'HOURLY', 5000 FROM offers o JOIN proposals p ON p.id = o.proposal_id WHERE o.id = $1`, offerID); err != nil {
		t.Fatal(err)
	}
	if !a.room(fr, res.Room.ID).ContactSharingAllowed {
		t.Error("contact sharing not allowed after the contract")
	}
	if m := a.send(fr, res.Room.ID, "Great! My email is frankie@example.com"); m.Body != "Great! My email is frankie@example.com" {
		t.Errorf("message: %+v", m)
	}
}

type messagePage struct {
	Room struct {
		Messages struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage, HasPreviousPage bool
				StartCursor, EndCursor       *string
			}
			Edges []struct {
				Cursor string
				Node   struct{ Seq int }
			}
		}
	}
}

func (p messagePage) String() string {
	var s []string
	for _, e := range p.Room.Messages.Edges {
		s = append(s, fmt.Sprint(e.Node.Seq))
	}
	i := p.Room.Messages.PageInfo
	return fmt.Sprintf("%s next=%v prev=%v", strings.Join(s, ","), i.HasNextPage, i.HasPreviousPage)
}

// TestRoomMessagesPaging pages 7 messages forwards and backwards, 3 at a time (R15).
func TestRoomMessagesPaging(t *testing.T) {
	a := newApp(t)
	roomID, _ := openDemoRoom(a)
	client := a.tok(hiring.DemoClient)
	fr := a.tok(hiring.DemoFreelancer)
	for i := 2; i <= 7; i++ {
		a.send([]string{client, fr}[i%2], roomID, fmt.Sprintf("message %d", i))
	}
	const q = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { room(id: $id) {
	  messages(first: $first, after: $after, last: $last, before: $before) {
	    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { seq } } } } }`
	page := func(vars map[string]any) messagePage {
		t.Helper()
		vars["id"] = roomID
		var p messagePage
		a.ok(fr, q, vars, &p)
		if p.Room.Messages.TotalCount != 7 {
			t.Errorf("totalCount %d", p.Room.Messages.TotalCount)
		}
		return p
	}
	expect := func(p messagePage, want string) {
		t.Helper()
		if got := p.String(); got != want {
			t.Errorf("want %s, got %s", want, got)
		}
	}

	p1 := page(map[string]any{"first": 3})
	expect(p1, "1,2,3 next=true prev=false")
	p2 := page(map[string]any{"first": 3, "after": *p1.Room.Messages.PageInfo.EndCursor})
	expect(p2, "4,5,6 next=true prev=true")
	p3 := page(map[string]any{"first": 3, "after": *p2.Room.Messages.PageInfo.EndCursor})
	expect(p3, "7 next=false prev=true")

	b1 := page(map[string]any{"last": 3})
	expect(b1, "5,6,7 next=false prev=true")
	b2 := page(map[string]any{"last": 3, "before": *b1.Room.Messages.PageInfo.StartCursor})
	expect(b2, "2,3,4 next=true prev=true")
	b3 := page(map[string]any{"last": 3, "before": *b2.Room.Messages.PageInfo.StartCursor})
	expect(b3, "1 next=true prev=false")
	if b3.Room.Messages.Edges[0].Cursor != p1.Room.Messages.Edges[0].Cursor {
		t.Error("a message's cursor differs between directions")
	}
	expect(page(map[string]any{}), "1,2,3,4,5,6,7 next=false prev=false")

	for _, c := range []struct {
		vars  map[string]any
		field string
	}{
		{map[string]any{"first": 3, "last": 3}, "last"},
		{map[string]any{"first": 101}, "first"},
		{map[string]any{"last": 101}, "last"},
		{map[string]any{"first": 3, "after": "bm90LWEtY3Vyc29y"}, "after"},
		{map[string]any{"last": 3, "before": "garbage!"}, "before"},
	} {
		c.vars["id"] = roomID
		r := a.fails("VALIDATION_FAILED", fr, q, c.vars)
		if r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%v: want field %s, got %+v", c.vars, c.field, r.Errors[0])
		}
	}
	page(map[string]any{"first": 100})
}

// TestMarkRoomRead: unread counts follow the read position, which moves
// forwards only and never beyond the last message (R15).
func TestMarkRoomRead(t *testing.T) {
	a := newApp(t)
	roomID, _ := openDemoRoom(a)
	client := a.tok(hiring.DemoClient)
	fr := a.tok(hiring.DemoFreelancer)
	for i := 2; i <= 7; i++ {
		a.send(client, roomID, fmt.Sprintf("message %d", i))
	}
	unread := func(token string) int { t.Helper(); return a.room(token, roomID).UnreadCount }
	if u := unread(fr); u != 7 {
		t.Errorf("freelancer unread: want 7, got %d", u)
	}
	if u := unread(client); u != 0 {
		t.Errorf("the sender's own messages count as read, got %d unread", u)
	}
	mark := func(seq any) int {
		t.Helper()
		in := map[string]any{"roomId": roomID}
		if seq != nil {
			in["seq"] = seq
		}
		var d struct {
			MarkRoomRead struct{ Room struct{ UnreadCount int } }
		}
		a.ok(fr, markRoomReadMutation, map[string]any{"in": in}, &d)
		return d.MarkRoomRead.Room.UnreadCount
	}
	if u := mark(3); u != 4 {
		t.Errorf("after reading to 3: want 4 unread, got %d", u)
	}
	if u := mark(1); u != 4 {
		t.Errorf("the read position moved backwards: %d unread", u)
	}
	r := a.fails("VALIDATION_FAILED", fr, markRoomReadMutation, map[string]any{"in": map[string]any{"roomId": roomID, "seq": 8}})
	if r.Errors[0].Extensions["field"] != "input.seq" {
		t.Errorf("want field input.seq, got %+v", r.Errors[0])
	}
	if u := mark(nil); u != 0 {
		t.Errorf("after reading all: %d unread", u)
	}
	a.send(fr, roomID, "Thanks, all read.")
	if u := unread(fr); u != 0 {
		t.Errorf("freelancer after sending: %d unread", u)
	}
	if u := unread(client); u != 1 {
		t.Errorf("client after the reply: want 1 unread, got %d", u)
	}
	var d struct {
		Rooms struct {
			Edges []struct{ Node struct{ UnreadCount int } }
		}
	}
	a.ok(client, `{ rooms { edges { node { unreadCount } } } }`, nil, &d)
	if len(d.Rooms.Edges) != 1 || d.Rooms.Edges[0].Node.UnreadCount != 1 {
		t.Errorf("rooms list unread: %+v", d.Rooms)
	}
}

// TestRoomsList lists the viewer's rooms, most recently active first, paged.
func TestRoomsList(t *testing.T) {
	a := newApp(t)
	client := a.tok(hiring.DemoClient)
	fr := a.tok(hiring.DemoFreelancer)
	pending := a.invitations(fr, map[string]any{"status": "PENDING"})
	propA := a.accept(fr, pending.byTitle(t, "React dashboard").ID)
	propB := a.accept(fr, pending.byTitle(t, "GraphQL API").ID)
	roomA := a.messageProposal(client, propA, "About the dashboard.").MessageProposal.Room.ID
	a.Clock.Advance(time.Minute)
	roomB := a.messageProposal(client, propB, "About the API.").MessageProposal.Room.ID

	const q = `query($after: String) { rooms(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`
	type list struct {
		Rooms struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   *string
			}
			Edges []struct{ Node struct{ ID string } }
		}
	}
	order := func(token string) []string {
		t.Helper()
		var ids []string
		var after *string
		for range 5 {
			var l list
			a.ok(token, q, map[string]any{"after": after}, &l)
			if l.Rooms.TotalCount != 2 {
				t.Fatalf("totalCount %d", l.Rooms.TotalCount)
			}
			for _, e := range l.Rooms.Edges {
				ids = append(ids, e.Node.ID)
			}
			if !l.Rooms.PageInfo.HasNextPage {
				return ids
			}
			after = l.Rooms.PageInfo.EndCursor
		}
		t.Fatal("paging does not end")
		return nil
	}
	if got := order(fr); !slices.Equal(got, []string{roomB, roomA}) {
		t.Errorf("want B then A, got %v", got)
	}
	a.Clock.Advance(time.Minute)
	a.send(fr, roomA, "A question about the dashboard.")
	if got := order(client); !slices.Equal(got, []string{roomA, roomB}) {
		t.Errorf("after a message in A: want A then B, got %v", got)
	}
	a.fails("VALIDATION_FAILED", fr, `{ rooms(first: 101) { totalCount } }`, nil)
	a.fails("VALIDATION_FAILED", fr, `{ rooms(after: "bad") { totalCount } }`, nil)
}

// TestRoomsStatementCount: listing rooms with their members, last message,
// unread count, proposal, job and contact flag costs the same number of SQL
// statements for 1 room and for 50 (dataloaders, no N+1).
func TestRoomsStatementCount(t *testing.T) {
	a := newApp(t)
	var n atomic.Int64
	tokens, err := auth.NewTokens("test-secret-0123456789", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	h := server.New(server.Deps{DB: a.DB, Hiring: a.Hiring, Tokens: tokens}, countingOptions())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(postgres.WithStatementCounter(r.Context(), &n)))
	}))
	t.Cleanup(srv.Close)
	counted := *a
	counted.URL = srv.URL

	ctx := context.Background()
	clientID, frID := a.userID(hiring.DemoClient), a.userID(hiring.DemoFreelancer)
	openRooms := func(k int) {
		for i := range k {
			var prop *market.Proposal
			err := postgres.New(a.DB).Transact(ctx, func(c *postgres.Conn) error {
				job, err := c.CreateJob(ctx, clientID, &market.NewJob{Title: fmt.Sprintf("Job %d", i), Description: "Work",
					ContractType: market.ContractFixed, Budget: &market.Money{Minor: 10000, Currency: "USD"}, InterviewMode: market.InterviewCoverLetter}, a.Clock.Now())
				if err != nil {
					return err
				}
				prop, err = c.CreateProposal(ctx, &market.Proposal{JobID: job.ID, FreelancerID: frID, SubmittedBy: frID, CoverLetter: "Hello",
					Terms: market.Terms{FixedPrice: &market.Money{Minor: 10000, Currency: "USD"}}, CreatedAt: a.Clock.Now()}, nil, nil)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Hiring.MessageProposal(ctx, clientID, hiring.MessageProposalInput{ProposalID: prop.ID, Body: "Hello"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	const q = `{ rooms(first: 100) { totalCount edges { node { id unreadCount contactSharingAllowed createdAt
	  members { role lastReadSeq user { id name } } lastMessage { seq body sender { name } room { id } }
	  proposal { id status room { id } freelancer { name } } job { title client { name } } } } } }`
	statements := func() int64 {
		fr := counted.login(hiring.DemoFreelancer)
		n.Store(0)
		var d struct{ Rooms struct{ TotalCount int } }
		counted.ok(fr, q, nil, &d)
		t.Logf("%d rooms: %d statements", d.Rooms.TotalCount, n.Load())
		return n.Load()
	}
	openRooms(1)
	one := statements()
	openRooms(49)
	for range 5 { // repeated: batching must not depend on how the resolvers happen to be scheduled
		if fifty := statements(); fifty != one {
			t.Errorf("want the same number of statements for 1 and 50 rooms, got %d and %d", one, fifty)
		}
	}
}
