package postgres

import (
	"context"
	"fmt"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Where a live stream starts, and where a list's items sit in a stream.
// Sequences are taken under their owner's row lock, so the committed
// counter is exactly "everything before now": what commits later has a
// higher number.

// LastNotificationSeq is the user's last committed notification seq.
func (c *Conn) LastNotificationSeq(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := c.get(ctx, &n, `SELECT notification_seq FROM users WHERE id = $1`, userID)
	return n, notFound(err, "user")
}

// LastMessageSeq is the room's last committed message seq.
func (c *Conn) LastMessageSeq(ctx context.Context, roomID int64) (int64, error) {
	var n int64
	err := c.get(ctx, &n, `SELECT last_seq FROM rooms WHERE id = $1`, roomID)
	return n, notFound(err, "room")
}

// ListInvitationsInFeed is ListInvitations with each listed invitation's
// position in userID's invitation stream, read by the same statement (so
// from the same snapshot): the highest seq among the user's
// INVITATION_RECEIVED notifications about invitations with an id up to its
// own (0 when none). See hiring.InvitationsWithPositions for why.
func (c *Conn) ListInvitationsInFeed(ctx context.Context, f InvitationFilter, userID int64, p market.PageRequest) ([]*market.Invitation, map[int64]int64, int, error) {
	page, err := c.invitationFeed(ctx, f, userID, p, false)
	return page.Items, page.Positions, page.Total, err
}

// InvitationFeedPage is a page of ListInvitationsWithJobs.
type InvitationFeedPage struct {
	Items     []*market.Invitation
	Positions map[int64]int64 // by invitation id, as ListInvitationsInFeed
	Total     int             // when the page request asks for the count
	Jobs      []*market.Job   // the items' jobs (each once)
	Clients   []*market.User  // the jobs' clients (each once)
}

// ListInvitationsWithJobs is ListInvitationsInFeed with the invitations'
// jobs and the jobs' clients, joined in the same statement: a page whose
// items show job { title client { name } } is then one statement (and the
// token check), not two.
func (c *Conn) ListInvitationsWithJobs(ctx context.Context, f InvitationFilter, userID int64, p market.PageRequest) (InvitationFeedPage, error) {
	return c.invitationFeed(ctx, f, userID, p, true)
}

func (c *Conn) invitationFeed(ctx context.Context, f InvitationFilter, userID int64, p market.PageRequest, withJobs bool) (InvitationFeedPage, error) {
	q := f.query()
	// Bound after the count statement, which does not use it (an argument
	// it does not use would have no type).
	q.moreCols = func() string {
		return fmt.Sprintf(`, (SELECT coalesce(max(n.seq), 0) FROM notifications n
		WHERE n.user_id = %s AND n.kind = '%s' AND n.subject_id <= invitations.id) AS feed_pos`, q.arg(userID), market.NotifyInvitationReceived)
	}
	var out InvitationFeedPage
	var err error
	if !withJobs {
		var rows []*invitationRow
		if out.Total, err = q.page(ctx, c, p, &rows); err != nil {
			return InvitationFeedPage{}, err
		}
		out.Items, out.Positions = invitations(rows), positions(rows)
		return out, nil
	}
	q.join = invitationJobsJoin
	var rows []*invitationJobRow
	if out.Total, err = q.page(ctx, c, p, &rows); err != nil {
		return InvitationFeedPage{}, err
	}
	inv := make([]*invitationRow, len(rows))
	out.Jobs, out.Clients = make([]*market.Job, 0, len(rows)), make([]*market.User, 0, len(rows))
	seen := make(map[int64]bool, 2*len(rows))
	for i, r := range rows {
		inv[i] = &r.invitationRow
		if j := r.Job.job(); !seen[j.ID] {
			seen[j.ID] = true
			out.Jobs = append(out.Jobs, j)
		}
		if u := &r.Job.Client; !seen[-u.ID] { // users' ids negated: one map for both
			seen[-u.ID] = true
			out.Clients = append(out.Clients, u)
		}
	}
	out.Items, out.Positions = invitations(inv), positions(inv)
	return out, nil
}

func positions(rows []*invitationRow) map[int64]int64 {
	pos := make(map[int64]int64, len(rows))
	for _, r := range rows {
		pos[r.ID] = r.FeedPos
	}
	return pos
}

// invitationJobRow is an invitation of the feed with its job and the job's
// client (ListInvitationsWithJobs).
type invitationJobRow struct {
	invitationRow
	Job jobClientRow
}

var invitationJobTable = newColumnTable(
	embedded("", invitationTable.columns(), func(r *invitationJobRow) *invitationRow { return &r.invitationRow }),
	embedded("job.", jobClientTable.columns(), func(r *invitationJobRow) *jobClientRow { return &r.Job }))

// invitationJobsJoin joins each row of the page (p) with its job and the
// job's client, named as invitationJobTable's columns. A user who posted a
// job is a client, so is_client holds (userCols computes it for any user).
var invitationJobsJoin = listJoin{
	cols: qualify("j", "job.", names(jobColumns)) + ", " + qualify("u", "job.client.", userRowCols) + `, true AS "job.client.is_client"`,
	from: "JOIN jobs j ON j.id = p.job_id JOIN users u ON u.id = j.client_id",
}
