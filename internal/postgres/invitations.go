package postgres

import (
	"context"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

type invitationRow struct {
	market.Invitation
	Matched pq.StringArray `db:"matched_skills"`
	// FeedPos is read by ListInvitationsInFeed only.
	FeedPos int64 `db:"feed_pos"`
}

// invitationColumns are an invitation's columns, in the order of
// invitationCols; invitationTable scans them and ListInvitationsInFeed's
// feed_pos.
var invitationColumns = []column[invitationRow]{
	col("id", func(r *invitationRow) any { return &r.ID }),
	col("job_id", func(r *invitationRow) any { return &r.JobID }),
	col("freelancer_id", func(r *invitationRow) any { return &r.FreelancerID }),
	col("client_id", func(r *invitationRow) any { return &r.ClientID }),
	col("agency_id", func(r *invitationRow) any { return &r.AgencyID }),
	col("origin", func(r *invitationRow) any { return &r.Origin }),
	col("message", func(r *invitationRow) any { return &r.Message }),
	col("match_score", func(r *invitationRow) any { return &r.MatchScore }),
	col("matched_skills", func(r *invitationRow) any { return &r.Matched }),
	col("status", func(r *invitationRow) any { return &r.Status }),
	col("archived_at", func(r *invitationRow) any { return &r.ArchivedAt }),
	col("seen_at", func(r *invitationRow) any { return &r.SeenAt }),
	col("withdrawn_at", func(r *invitationRow) any { return &r.WithdrawnAt }),
	col("responded_at", func(r *invitationRow) any { return &r.RespondedAt }),
	col("decline_reason_id", func(r *invitationRow) any { return &r.DeclineReasonID }),
	col("decline_message", func(r *invitationRow) any { return &r.DeclineMessage }),
	col("proposal_id", func(r *invitationRow) any { return &r.ProposalID }),
	col("created_at", func(r *invitationRow) any { return &r.CreatedAt }),
	col("updated_at", func(r *invitationRow) any { return &r.UpdatedAt }),
}

var (
	invitationCols  = names(invitationColumns)
	invitationTable = newColumnTable(invitationColumns, []column[invitationRow]{
		col("feed_pos", func(r *invitationRow) any { return &r.FeedPos }),
	})
)

// invitation completes the row's invitation and returns it (in the row: a
// list's rows are allocated one by one, and copying each out would
// allocate it twice).
func (r *invitationRow) invitation() *market.Invitation {
	r.Invitation.MatchedSkills = []string(r.Matched)
	return &r.Invitation
}

func invitations(rows []*invitationRow) []*market.Invitation {
	out := make([]*market.Invitation, len(rows))
	for i := range rows {
		out[i] = rows[i].invitation()
	}
	return out
}

// CreateInvitation inserts an invitation. Errors: CONFLICT when the
// freelancer is already invited to the job.
func (c *Conn) CreateInvitation(ctx context.Context, inv *market.Invitation) (*market.Invitation, error) {
	var r invitationRow
	err := c.get(ctx, &r, `INSERT INTO invitations (job_id, freelancer_id, client_id, agency_id, origin, message,
			match_score, matched_skills, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8, '{}'::text[]), $9, $9) RETURNING `+invitationCols,
		inv.JobID, inv.FreelancerID, inv.ClientID, inv.AgencyID, inv.Origin, inv.Message, inv.MatchScore,
		pq.Array(inv.MatchedSkills), inv.CreatedAt)
	if isUniqueViolation(err, "invitations_job_id_freelancer_id_key") {
		return nil, market.Errorf(market.CodeConflict, "this freelancer is already invited to this job")
	}
	if err != nil {
		return nil, err
	}
	return r.invitation(), nil
}

// Invitation loads an invitation, locking its row when forUpdate in a
// transaction. Errors: NOT_FOUND.
func (c *Conn) Invitation(ctx context.Context, id int64, forUpdate bool) (*market.Invitation, error) {
	var r invitationRow
	if err := c.get(ctx, &r, `SELECT `+invitationCols+` FROM invitations WHERE id = $1`+c.lock(forUpdate), id); err != nil {
		return nil, notFound(err, "invitation")
	}
	return r.invitation(), nil
}

// InvitationsByID loads invitations by id.
func (c *Conn) InvitationsByID(ctx context.Context, ids []int64) ([]*market.Invitation, error) {
	var rows []*invitationRow
	err := c.sel(ctx, &rows, `SELECT `+invitationCols+` FROM invitations WHERE id = ANY($1)`, pq.Array(ids))
	return invitations(rows), err
}

// InvitationExists reports whether the freelancer is already invited to the job.
func (c *Conn) InvitationExists(ctx context.Context, jobID, freelancerID int64) (bool, error) {
	var ok bool
	err := c.get(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM invitations WHERE job_id = $1 AND freelancer_id = $2)`, jobID, freelancerID)
	return ok, err
}

// UpdateInvitation writes back the mutable fields of an invitation.
func (c *Conn) UpdateInvitation(ctx context.Context, inv *market.Invitation) error {
	_, err := c.exec(ctx, `UPDATE invitations SET status = $2, archived_at = $3, seen_at = $4, responded_at = $5, withdrawn_at = $10,
			decline_reason_id = $6, decline_message = $7, proposal_id = $8, updated_at = $9
		WHERE id = $1`,
		inv.ID, inv.Status, inv.ArchivedAt, inv.SeenAt, inv.RespondedAt, inv.DeclineReasonID, inv.DeclineMessage,
		inv.ProposalID, inv.UpdatedAt, inv.WithdrawnAt)
	return err
}

// InvitationFilter narrows a list of invitations.
type InvitationFilter struct {
	// Exactly one scope: the freelancer invited (with Staff, also the
	// invitations through agencies where they are owner or business
	// manager), or the job.
	FreelancerID int64
	Staff        bool
	JobID        int64
	Status       *market.InvitationStatus
	Archived     *bool
	Origin       *market.InvitationOrigin
}

func (f InvitationFilter) query() *scoped {
	q := &scoped{table: "invitations", cols: invitationCols}
	if f.JobID != 0 {
		q.scopes = []string{"job_id = " + q.arg(f.JobID)}
	} else {
		q.ownOrStaff("freelancer_id", f.FreelancerID, f.Staff)
	}
	if f.Status != nil {
		q.conds = append(q.conds, "status = "+q.arg(*f.Status))
	}
	if f.Archived != nil {
		if *f.Archived {
			q.conds = append(q.conds, "archived_at IS NOT NULL")
		} else {
			q.conds = append(q.conds, "archived_at IS NULL")
		}
	}
	if f.Origin != nil {
		q.conds = append(q.conds, "origin = "+q.arg(*f.Origin))
	}
	return q
}

// ListInvitations returns a newest-first page of invitations (Limit+1 rows
// so the caller can tell whether there is a next page), and the total count
// when p.Count: one statement for the page (the viewer's agency roles
// included), one more for the count.
func (c *Conn) ListInvitations(ctx context.Context, f InvitationFilter, p market.PageRequest) ([]*market.Invitation, int, error) {
	var rows []*invitationRow
	total, err := f.query().page(ctx, c, p, &rows)
	return invitations(rows), total, err
}
