package server_test

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

const feedQuery = `query($first: Int, $after: String, $unread: Boolean) {
  viewer { unreadNotificationCount }
  notifications(first: $first, after: $after, unreadOnly: $unread) {
    totalCount unreadCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id kind title seq read readAt createdAt
      actor { id name }
      subject {
        __typename
        ... on Invitation { id invitationStatus: status }
        ... on Proposal { id proposalStatus: status }
        ... on Room { id }
        ... on Offer { id offerStatus: status }
        ... on Contract { id contractStatus: status }
      }
    } }
  }
}`

type notificationNode struct {
	ID        string
	Kind      string
	Title     string
	Seq       int
	Read      bool
	ReadAt    *string
	CreatedAt string
	Actor     *struct{ ID, Name string }
	Subject   *subject
}

// subject is a notification's subject; each member's status has its own
// alias (their enum types differ).
type subject struct {
	Typename         string `json:"__typename"`
	ID               string
	InvitationStatus string
	ProposalStatus   string
	OfferStatus      string
	ContractStatus   string
}

// Status is the subject's status, whatever its type.
func (s *subject) Status() string {
	return s.InvitationStatus + s.ProposalStatus + s.OfferStatus + s.ContractStatus
}

type feed struct {
	Viewer        struct{ UnreadNotificationCount int }
	Notifications struct {
		TotalCount  int
		UnreadCount int
		PageInfo    struct {
			HasNextPage bool
			EndCursor   *string
		}
		Edges []struct {
			Cursor string
			Node   notificationNode
		}
	}
}

func (f feed) nodes() []notificationNode {
	out := make([]notificationNode, len(f.Notifications.Edges))
	for i, e := range f.Notifications.Edges {
		out[i] = e.Node
	}
	return out
}

// feed reads a page of the viewer's bell; vars may set first, after, unread.
func (a *app) feed(token string, vars map[string]any) feed {
	a.t.Helper()
	var f feed
	a.ok(token, feedQuery, vars, &f)
	return f
}

const markReadMutation = `mutation($in: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $in) { unreadCount notifications { id seq read readAt } }
}`

type markReadResult struct {
	MarkNotificationsRead struct {
		UnreadCount   int
		Notifications []notificationNode
	}
}

func (a *app) markRead(token string, in map[string]any) markReadResult {
	a.t.Helper()
	var r markReadResult
	a.ok(token, markReadMutation, map[string]any{"in": in}, &r)
	return r
}

// gid builds a global id as the API does ("Kind:id", base64url).
func gid(kind string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + strconv.FormatInt(id, 10)))
}

// dbID decodes a global id into its row id.
func dbID(t testing.TB, id string) int64 {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		t.Fatalf("global id %q: %v", id, err)
	}
	_, num, _ := strings.Cut(string(b), ":")
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		t.Fatalf("global id %q: %v", id, err)
	}
	return n
}

// postAndInvite posts a fixed-price job as the client and invites the
// freelancer to it directly; it returns the invitation's id.
func (a *app) postAndInvite(client, title, freelancerID string) string {
	a.t.Helper()
	var job struct {
		PostJob struct{ Job struct{ ID string } }
	}
	a.ok(client, `mutation($in: PostJobInput!) { postJob(input: $in) { job { id } } }`, map[string]any{"in": map[string]any{
		"title": title, "description": "A small piece of work.", "contractType": "FIXED",
		"budget": map[string]any{"amount": "300.00"}, "connectsRequired": 2,
	}}, &job)
	var inv struct {
		InviteFreelancer struct{ Invitation struct{ ID string } }
	}
	a.ok(client, `mutation($j: ID!, $f: ID!) { inviteFreelancer(input: {jobId: $j, freelancerId: $f, message: "Would you apply?"}) { invitation { id } } }`,
		map[string]any{"j": job.PostJob.Job.ID, "f": freelancerID}, &inv)
	return inv.InviteFreelancer.Invitation.ID
}

// readState lists every notification's read time, to show that a failed
// markNotificationsRead changed nothing.
func (a *app) readState() string {
	a.t.Helper()
	var s string
	if err := a.DB.Get(&s, `SELECT coalesce(string_agg(concat(id, ':', read_at), ',' ORDER BY id), '') FROM notifications`); err != nil {
		a.t.Fatal(err)
	}
	return s
}

// insertDeal writes with SQL a room, an accepted offer and a contract for a
// proposal (their use cases belong to other areas), returning their ids.
func insertDeal(t testing.TB, db *sqlx.DB, proposalID int64) (room, offer, contract int64) {
	t.Helper()
	err := db.QueryRowx(`WITH p AS (
			SELECT pr.id, pr.job_id, pr.freelancer_id, pr.agency_id, j.client_id
			FROM proposals pr JOIN jobs j ON j.id = pr.job_id WHERE pr.id = $1
		), r AS (
			INSERT INTO rooms (proposal_id, client_id) SELECT id, client_id FROM p RETURNING id
		), o AS (
			INSERT INTO offers (proposal_id, client_id, hourly_rate_minor, status) SELECT id, client_id, 5000, 'ACCEPTED' FROM p RETURNING id
		), c AS (
			INSERT INTO contracts (offer_id, proposal_id, job_id, client_id, freelancer_id, agency_id, contract_type, hourly_rate_minor)
			SELECT o.id, p.id, p.job_id, p.client_id, p.freelancer_id, p.agency_id, 'HOURLY', 5000 FROM p, o RETURNING id
		)
		SELECT (SELECT id FROM r), (SELECT id FROM o), (SELECT id FROM c)`, proposalID).Scan(&room, &offer, &contract)
	if err != nil {
		t.Fatalf("insert room, offer and contract: %v", err)
	}
	return room, offer, contract
}

// addNotifications writes notifications through the store, as the use cases
// do (per-user gap-free seq).
func addNotifications(t testing.TB, db *sqlx.DB, now time.Time, ns ...market.NewNotification) {
	t.Helper()
	err := postgres.New(db).Transact(context.Background(), func(c *postgres.Conn) error {
		for _, n := range ns {
			if _, err := c.AddNotification(context.Background(), n, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("add notifications: %v", err)
	}
}

// TestNotificationFeed shows R23's feed: the viewer's own notifications,
// newest first, paged with first/after, with totalCount and unreadCount.
func TestNotificationFeed(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	client := a.login(hiring.DemoClient)

	// The demo data gave the freelancer three invitations, each with a notification.
	a.Clock.Advance(time.Hour)
	invID := a.postAndInvite(client, "Accessibility audit", a.viewerID(fr))

	first := a.feed(fr, map[string]any{"first": 2})
	n := first.Notifications
	if n.TotalCount != 4 || n.UnreadCount != 4 || first.Viewer.UnreadNotificationCount != 4 {
		t.Fatalf("want 4 notifications, all unread; got total %d unread %d viewer %d", n.TotalCount, n.UnreadCount, first.Viewer.UnreadNotificationCount)
	}
	if len(n.Edges) != 2 || !n.PageInfo.HasNextPage || n.PageInfo.EndCursor == nil || *n.PageInfo.EndCursor != n.Edges[1].Cursor {
		t.Fatalf("first page: %+v", n)
	}
	newest := n.Edges[0].Node
	if newest.Seq != 4 || newest.Kind != "INVITATION_RECEIVED" || newest.Read || newest.ReadAt != nil ||
		!strings.Contains(newest.Title, "Accessibility audit") || newest.CreatedAt != "2026-11-02T10:00:00Z" {
		t.Errorf("newest notification: %+v", newest)
	}
	if newest.Actor == nil || newest.Actor.Name != "Casey Client" {
		t.Errorf("the inviting client is the actor, got %+v", newest.Actor)
	}
	if newest.Subject == nil || newest.Subject.Typename != "Invitation" || newest.Subject.ID != invID {
		t.Errorf("subject: want the invitation %s, got %+v", invID, newest.Subject)
	}
	second := a.feed(fr, map[string]any{"first": 2, "after": *n.PageInfo.EndCursor})
	if len(second.Notifications.Edges) != 2 || second.Notifications.PageInfo.HasNextPage || second.Notifications.TotalCount != 4 {
		t.Fatalf("second page: %+v", second.Notifications)
	}
	var seqs []int
	for _, p := range []feed{first, second} {
		for _, x := range p.nodes() {
			seqs = append(seqs, x.Seq)
		}
	}
	if want := []int{4, 3, 2, 1}; !equalInts(seqs, want) {
		t.Errorf("want seq %v newest first across pages, got %v", want, seqs)
	}
	// The seeded invitations are the platform's: no actor.
	if x := second.nodes()[1]; x.Actor != nil || x.Subject == nil || x.Subject.Typename != "Invitation" {
		t.Errorf("seeded notification: %+v", x)
	}

	// The client's bell holds only the client's own (none yet).
	if c := a.feed(client, nil); c.Notifications.TotalCount != 0 || len(c.Notifications.Edges) != 0 || c.Notifications.UnreadCount != 0 {
		t.Errorf("the client sees others' notifications: %+v", c.Notifications)
	}

	t.Run("ErrPaging", func(t *testing.T) {
		a.fails("VALIDATION_FAILED", fr, feedQuery, map[string]any{"first": 101})
		a.fails("VALIDATION_FAILED", fr, feedQuery, map[string]any{"after": "not-a-cursor"})
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		a.fails("UNAUTHENTICATED", "", feedQuery, nil)
		a.fails("UNAUTHENTICATED", "", markReadMutation, map[string]any{"in": map[string]any{"all": true}})
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestMarkNotificationsRead shows R23's "mark one or all read": by ids or
// with all, already-read ones keeping their time, unread counts following,
// and unreadOnly listing what is left.
func TestMarkNotificationsRead(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	client := a.login(hiring.DemoClient)
	all := a.feed(fr, nil).nodes() // seq 3, 2, 1
	if len(all) != 3 {
		t.Fatalf("want the 3 seeded notifications, got %d", len(all))
	}
	s3, s2, s1 := all[0], all[1], all[2]

	a.Clock.Advance(time.Minute) // 09:01
	r := a.markRead(fr, map[string]any{"ids": []string{s3.ID}}).MarkNotificationsRead
	if r.UnreadCount != 2 || len(r.Notifications) != 1 || r.Notifications[0].ID != s3.ID || !r.Notifications[0].Read ||
		r.Notifications[0].ReadAt == nil || *r.Notifications[0].ReadAt != "2026-11-02T09:01:00Z" {
		t.Fatalf("mark one read: %+v", r)
	}
	f := a.feed(fr, nil)
	if f.Viewer.UnreadNotificationCount != 2 || f.Notifications.UnreadCount != 2 || f.Notifications.TotalCount != 3 || !f.nodes()[0].Read {
		t.Errorf("after marking one: viewer %d, feed %+v", f.Viewer.UnreadNotificationCount, f.Notifications)
	}
	unread := a.feed(fr, map[string]any{"unread": true})
	if u := unread.Notifications; u.TotalCount != 2 || u.UnreadCount != 2 || len(u.Edges) != 2 ||
		u.Edges[0].Node.ID != s2.ID || u.Edges[1].Node.ID != s1.ID || u.Edges[0].Node.Read || u.Edges[1].Node.Read {
		t.Errorf("unreadOnly: %+v", u)
	}
	paged := a.feed(fr, map[string]any{"unread": true, "first": 1})
	if p := paged.Notifications; p.TotalCount != 2 || len(p.Edges) != 1 || !p.PageInfo.HasNextPage || p.Edges[0].Node.ID != s2.ID {
		t.Errorf("unreadOnly first page: %+v", p)
	}
	rest := a.feed(fr, map[string]any{"unread": true, "first": 1, "after": *paged.Notifications.PageInfo.EndCursor})
	if p := rest.Notifications; len(p.Edges) != 1 || p.PageInfo.HasNextPage || p.Edges[0].Node.ID != s1.ID {
		t.Errorf("unreadOnly second page: %+v", p)
	}

	// A read one named again keeps its time; repeats count once; the order given is kept.
	a.Clock.Advance(time.Minute) // 09:02
	r = a.markRead(fr, map[string]any{"ids": []string{s3.ID, s2.ID, s3.ID}}).MarkNotificationsRead
	if r.UnreadCount != 1 || len(r.Notifications) != 2 || r.Notifications[0].ID != s3.ID || r.Notifications[1].ID != s2.ID {
		t.Fatalf("mark two read: %+v", r)
	}
	if at := r.Notifications[0].ReadAt; at == nil || *at != "2026-11-02T09:01:00Z" {
		t.Errorf("an already read notification keeps its read time, got %v", at)
	}
	if at := r.Notifications[1].ReadAt; at == nil || *at != "2026-11-02T09:02:00Z" {
		t.Errorf("read time: want the clock's 09:02, got %v", at)
	}

	// A new one arrives; all: true marks everything, and returns no list.
	a.postAndInvite(client, "Copy editing", a.viewerID(fr))
	if n := a.feed(fr, nil).Viewer.UnreadNotificationCount; n != 2 {
		t.Fatalf("want 2 unread after a new invitation, got %d", n)
	}
	a.Clock.Advance(time.Minute) // 09:03
	r = a.markRead(fr, map[string]any{"all": true}).MarkNotificationsRead
	if r.UnreadCount != 0 || r.Notifications == nil || len(r.Notifications) != 0 {
		t.Fatalf("mark all read: %+v", r)
	}
	f = a.feed(fr, nil)
	if f.Viewer.UnreadNotificationCount != 0 || f.Notifications.UnreadCount != 0 || f.Notifications.TotalCount != 4 {
		t.Errorf("after all: %+v", f)
	}
	want := map[string]string{s3.ID: "2026-11-02T09:01:00Z", s2.ID: "2026-11-02T09:02:00Z", s1.ID: "2026-11-02T09:03:00Z"}
	for _, x := range f.nodes() {
		if w, ok := want[x.ID]; ok && (x.ReadAt == nil || *x.ReadAt != w) {
			t.Errorf("notification seq %d: want read at %s, got %v", x.Seq, w, x.ReadAt)
		}
		if !x.Read {
			t.Errorf("notification seq %d is still unread", x.Seq)
		}
	}
	if u := a.feed(fr, map[string]any{"unread": true}).Notifications; u.TotalCount != 0 || len(u.Edges) != 0 {
		t.Errorf("unreadOnly after all: %+v", u)
	}
	// all: true again changes nothing.
	before := a.readState()
	if r := a.markRead(fr, map[string]any{"all": true}).MarkNotificationsRead; r.UnreadCount != 0 {
		t.Errorf("all again: %+v", r)
	}
	if after := a.readState(); after != before {
		t.Errorf("all again changed read times:\n before %s\n after  %s", before, after)
	}
	// all: true marks only the viewer's own.
	if n := a.count(`SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND read_at IS NULL`, hiring.DemoMember); n != 1 {
		t.Errorf("the agency member's notification was marked too (%d unread left)", n)
	}
}

// TestMarkNotificationsReadErrors: someone else's notification is NOT_FOUND
// and nothing changes; ids and all together, or neither, VALIDATION_FAILED.
func TestMarkNotificationsReadErrors(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	member := a.login(hiring.DemoMember)
	mine := a.feed(fr, nil).nodes()
	theirs := a.feed(member, nil).nodes()
	if len(mine) != 3 || len(theirs) != 1 {
		t.Fatalf("seeded feeds: %d and %d", len(mine), len(theirs))
	}
	check := func(name, code, field string, in map[string]any) {
		t.Helper()
		before := a.readState()
		r := a.fails(code, fr, markReadMutation, map[string]any{"in": in})
		if field != "" && r.Errors[0].Extensions["field"] != field {
			t.Errorf("%s: want field %s, got %+v", name, field, r.Errors[0])
		}
		if after := a.readState(); after != before {
			t.Errorf("%s: read state changed:\n before %s\n after  %s", name, before, after)
		}
	}
	check("someone else's", "NOT_FOUND", "", map[string]any{"ids": []string{theirs[0].ID}})
	check("mine and someone else's", "NOT_FOUND", "", map[string]any{"ids": []string{mine[0].ID, theirs[0].ID}})
	check("no such notification", "NOT_FOUND", "", map[string]any{"ids": []string{mine[1].ID, gid("Notification", 999999)}})
	check("ids and all", "VALIDATION_FAILED", "input", map[string]any{"ids": []string{mine[0].ID}, "all": true})
	check("empty ids and all", "VALIDATION_FAILED", "input", map[string]any{"ids": []string{}, "all": true})
	check("neither", "VALIDATION_FAILED", "input.ids", map[string]any{})
	check("all false", "VALIDATION_FAILED", "input.ids", map[string]any{"all": false})
	check("null ids", "VALIDATION_FAILED", "input.ids", map[string]any{"ids": nil})
	check("empty ids", "VALIDATION_FAILED", "input.ids", map[string]any{"ids": []string{}})
	check("not a notification id", "VALIDATION_FAILED", "input.ids.1", map[string]any{"ids": []string{mine[0].ID, gid("Invitation", 1)}})
	check("garbage id", "VALIDATION_FAILED", "input.ids.0", map[string]any{"ids": []string{"???"}})
	many := make([]string, market.MaxMarkRead+1)
	for i := range many {
		many[i] = mine[0].ID
	}
	check("too many ids", "VALIDATION_FAILED", "input.ids", map[string]any{"ids": many})

	if f := a.feed(fr, nil); f.Viewer.UnreadNotificationCount != 3 {
		t.Errorf("want all 3 still unread, got %d", f.Viewer.UnreadNotificationCount)
	}
	if f := a.feed(member, nil); f.Viewer.UnreadNotificationCount != 1 {
		t.Errorf("the member's notification was touched: %d unread", f.Viewer.UnreadNotificationCount)
	}
}

// TestNotificationSubjects: each notification links to its subject (R23),
// for every kind the API produces today and, written with SQL, for rooms,
// offers and contracts; a subject that no longer exists is null.
func TestNotificationSubjects(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	client := a.login(hiring.DemoClient)
	frID := a.viewerID(fr)
	clientID := a.viewerID(client)
	newest := func(token string) notificationNode {
		t.Helper()
		ns := a.feed(token, map[string]any{"first": 1}).nodes()
		if len(ns) != 1 {
			t.Fatal("empty feed")
		}
		return ns[0]
	}
	expect := func(name string, n notificationNode, kind, typename, id, status, actor string) {
		t.Helper()
		if n.Kind != kind {
			t.Errorf("%s: want kind %s, got %s", name, kind, n.Kind)
		}
		if n.Subject == nil || n.Subject.Typename != typename || n.Subject.ID != id || (status != "" && n.Subject.Status() != status) {
			t.Errorf("%s: want subject %s %s %s, got %+v", name, typename, id, status, n.Subject)
		}
		if n.Actor == nil || n.Actor.ID != actor {
			t.Errorf("%s: want actor %s, got %+v", name, actor, n.Actor)
		}
	}

	// INVITATION_RECEIVED -> Invitation, then INVITATION_WITHDRAWN -> the same Invitation.
	invID := a.postAndInvite(client, "Logo refresh", frID)
	expect("received", newest(fr), "INVITATION_RECEIVED", "Invitation", invID, "PENDING", clientID)
	a.ok(client, `mutation($id: ID!) { withdrawInvitation(input: {invitationId: $id}) { invitation { id } } }`, map[string]any{"id": invID}, nil)
	expect("withdrawn", newest(fr), "INVITATION_WITHDRAWN", "Invitation", invID, "WITHDRAWN", clientID)

	// INVITATION_ACCEPTED -> the Proposal (to the client).
	list := a.invitations(fr, map[string]any{"status": "PENDING"})
	var acc struct {
		AcceptInvitation struct{ Proposal struct{ ID string } }
	}
	a.ok(fr, acceptMutation, map[string]any{"in": map[string]any{
		"invitationId": list.byTitle(t, "React dashboard").ID, "coverLetter": "I have built fleet dashboards before.",
	}}, &acc)
	propID := acc.AcceptInvitation.Proposal.ID
	expect("accepted", newest(client), "INVITATION_ACCEPTED", "Proposal", propID, "SUBMITTED", frID)

	// INVITATION_DECLINED -> the Invitation (to the client).
	auto := list.byTitle(t, "GraphQL API")
	a.ok(fr, declineMutation, map[string]any{"in": map[string]any{"invitationId": auto.ID, "reasonId": a.reasonID(fr, "TOO_BUSY")}}, nil)
	expect("declined", newest(client), "INVITATION_DECLINED", "Invitation", auto.ID, "DECLINED", frID)

	// Room, Offer and Contract subjects, rows written with SQL.
	room, offer, contract := insertDeal(t, a.DB, dbID(t, propID))
	cid, fid := dbID(t, clientID), dbID(t, frID)
	now := a.Clock.Now()
	addNotifications(t, a.DB, now,
		market.NewNotification{UserID: fid, Kind: market.NotifyProposalActivated, SubjectType: market.SubjectRoom, SubjectID: room, ActorID: &cid, Title: "The client messaged you"},
		market.NewNotification{UserID: fid, Kind: market.NotifyOfferReceived, SubjectType: market.SubjectOffer, SubjectID: offer, ActorID: &cid, Title: "You received an offer"},
		market.NewNotification{UserID: fid, Kind: market.NotifyBonusPaid, SubjectType: market.SubjectContract, SubjectID: contract, ActorID: &cid, Title: "You received a bonus"},
		market.NewNotification{UserID: fid, Kind: market.NotifyMessageReceived, SubjectType: market.SubjectRoom, SubjectID: room + 1000, ActorID: &cid, Title: "A room that is gone"},
	)
	ns := a.feed(fr, map[string]any{"first": 4}).nodes()
	if len(ns) != 4 {
		t.Fatalf("want 4 notifications, got %d", len(ns))
	}
	if ns[0].Subject != nil || ns[0].Kind != "MESSAGE_RECEIVED" {
		t.Errorf("a subject that does not exist is null, got %+v", ns[0])
	}
	expect("bonus", ns[1], "BONUS_PAID", "Contract", gid("Contract", contract), "ACTIVE", clientID)
	expect("offer", ns[2], "OFFER_RECEIVED", "Offer", gid("Offer", offer), "ACCEPTED", clientID)
	expect("room", ns[3], "PROPOSAL_ACTIVATED", "Room", gid("Room", room), "", clientID)
}
