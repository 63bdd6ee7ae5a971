package postgres

import (
	"context"
	"time"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

// CreateAgency inserts an agency.
func (c *Conn) CreateAgency(ctx context.Context, name string, now time.Time) (*market.Agency, error) {
	var a market.Agency
	err := c.get(ctx, &a, `INSERT INTO agencies (name, created_at) VALUES ($1, $2) RETURNING id, name, created_at`, name, now)
	return &a, err
}

// AddAgencyMember adds or changes a membership.
func (c *Conn) AddAgencyMember(ctx context.Context, agencyID, userID int64, role market.AgencyRole, now time.Time) error {
	_, err := c.exec(ctx, `INSERT INTO agency_members (agency_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (agency_id, user_id) DO UPDATE SET role = EXCLUDED.role`, agencyID, userID, role, now)
	return err
}

// AgenciesByID loads agencies by id.
func (c *Conn) AgenciesByID(ctx context.Context, ids []int64) ([]*market.Agency, error) {
	var as []*market.Agency
	err := c.sel(ctx, &as, `SELECT id, name, created_at FROM agencies WHERE id = ANY($1)`, pq.Array(ids))
	return as, err
}

// AgencyRole returns the user's role in the agency, or "" when not a member.
func (c *Conn) AgencyRole(ctx context.Context, agencyID, userID int64) (market.AgencyRole, error) {
	var roles []market.AgencyRole
	err := c.sel(ctx, &roles, `SELECT role FROM agency_members WHERE agency_id = $1 AND user_id = $2`, agencyID, userID)
	if err != nil || len(roles) == 0 {
		return "", err
	}
	return roles[0], nil
}

// MembershipsOfUsers returns the agency memberships of the given users.
func (c *Conn) MembershipsOfUsers(ctx context.Context, userIDs []int64) ([]market.AgencyMember, error) {
	var ms []market.AgencyMember
	err := c.sel(ctx, &ms, `SELECT agency_id, user_id, role FROM agency_members WHERE user_id = ANY($1) ORDER BY agency_id`, pq.Array(userIDs))
	return ms, err
}

// AgencyMembers lists the members of an agency.
func (c *Conn) AgencyMembers(ctx context.Context, agencyID int64) ([]market.AgencyMember, error) {
	var ms []market.AgencyMember
	err := c.sel(ctx, &ms, `SELECT agency_id, user_id, role FROM agency_members WHERE agency_id = $1 ORDER BY user_id`, agencyID)
	return ms, err
}

// StaffAgencyIDs lists the agencies where the user is owner or business manager.
func (c *Conn) StaffAgencyIDs(ctx context.Context, userID int64) ([]int64, error) {
	var ids []int64
	err := c.sel(ctx, &ids, `SELECT agency_id FROM agency_members WHERE user_id = $1 AND role IN ('OWNER', 'BUSINESS_MANAGER')`, userID)
	return ids, err
}

// stillMember is the SQL condition that a row of table (with an agency_id
// column) either belongs to no agency or to one where the user in
// userCol is still a member: a removed member loses the agency's rows at
// once (market.FreelancerSide).
func stillMember(table, userCol string) string {
	return `(` + table + `.agency_id IS NULL OR EXISTS (SELECT 1 FROM agency_members am
		WHERE am.agency_id = ` + table + `.agency_id AND am.user_id = ` + table + `.` + userCol + `))`
}

// LockAgency locks an agency's row: every change of its membership runs
// under it, so that the rules that read the members (one owner, roles) see
// them unchanged until commit. Errors: NOT_FOUND.
func (c *Conn) LockAgency(ctx context.Context, id int64) (*market.Agency, error) {
	var a market.Agency
	err := c.get(ctx, &a, `SELECT id, name, created_at FROM agencies WHERE id = $1`+c.lock(true), id)
	return &a, notFound(err, "agency")
}

// RemoveAgencyMember deletes a membership.
func (c *Conn) RemoveAgencyMember(ctx context.Context, agencyID, userID int64) error {
	_, err := c.exec(ctx, `DELETE FROM agency_members WHERE agency_id = $1 AND user_id = $2`, agencyID, userID)
	return err
}

// SetAgencyRole changes a member's role.
func (c *Conn) SetAgencyRole(ctx context.Context, agencyID, userID int64, role market.AgencyRole) error {
	_, err := c.exec(ctx, `UPDATE agency_members SET role = $3 WHERE agency_id = $1 AND user_id = $2`, agencyID, userID, role)
	return err
}

// AgencyMembersFull lists an agency's members with when they joined, owner
// first, then business managers, then members.
func (c *Conn) AgencyMembersFull(ctx context.Context, agencyID int64) ([]market.AgencyMember, error) {
	var ms []market.AgencyMember
	err := c.sel(ctx, &ms, `SELECT agency_id, user_id, role, created_at FROM agency_members WHERE agency_id = $1
		ORDER BY CASE role WHEN 'OWNER' THEN 0 WHEN 'BUSINESS_MANAGER' THEN 1 ELSE 2 END, created_at, user_id`, agencyID)
	return ms, err
}

// LeaveAgencyRooms takes a user out of the message rooms of the agency's
// proposals where they sit in one of the given room roles.
func (c *Conn) LeaveAgencyRooms(ctx context.Context, agencyID, userID int64, roles []market.RoomRole) error {
	if len(roles) == 0 {
		return nil
	}
	rs := make([]string, len(roles))
	for i, r := range roles {
		rs[i] = string(r)
	}
	_, err := c.exec(ctx, `DELETE FROM room_members rm USING rooms r, proposals p
		WHERE rm.room_id = r.id AND r.proposal_id = p.id AND p.agency_id = $1 AND rm.user_id = $2 AND rm.role = ANY($3)`,
		agencyID, userID, pq.Array(rs))
	return err
}

const agencyInvitationCols = `id, agency_id, user_id, role, invited_by, status, created_at, responded_at`

// CreateAgencyInvitation inserts a pending invitation to join an agency.
// Errors: CONFLICT when one is pending for that person already.
func (c *Conn) CreateAgencyInvitation(ctx context.Context, inv *market.AgencyInvitation) (*market.AgencyInvitation, error) {
	var out market.AgencyInvitation
	err := c.get(ctx, &out, `INSERT INTO agency_invitations (agency_id, user_id, role, invited_by, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING `+agencyInvitationCols, inv.AgencyID, inv.UserID, inv.Role, inv.InvitedBy, inv.CreatedAt)
	if isUniqueViolation(err, "agency_invitations_pending_idx") {
		return nil, market.Errorf(market.CodeConflict, "this freelancer already has a pending invitation to the agency")
	}
	return &out, err
}

// AgencyInvitation loads an invitation to join an agency, locked when asked
// inside a transaction. Errors: NOT_FOUND.
func (c *Conn) AgencyInvitation(ctx context.Context, id int64, forUpdate bool) (*market.AgencyInvitation, error) {
	var out market.AgencyInvitation
	err := c.get(ctx, &out, `SELECT `+agencyInvitationCols+` FROM agency_invitations WHERE id = $1`+c.lock(forUpdate), id)
	return &out, notFound(err, "agency invitation")
}

// AgencyInvitationsByID loads invitations to join agencies by id.
func (c *Conn) AgencyInvitationsByID(ctx context.Context, ids []int64) ([]*market.AgencyInvitation, error) {
	var out []*market.AgencyInvitation
	err := c.sel(ctx, &out, `SELECT `+agencyInvitationCols+` FROM agency_invitations WHERE id = ANY($1)`, pq.Array(ids))
	return out, err
}

// UpdateAgencyInvitation stores an invitation's answer.
func (c *Conn) UpdateAgencyInvitation(ctx context.Context, inv *market.AgencyInvitation) error {
	_, err := c.exec(ctx, `UPDATE agency_invitations SET status = $2, responded_at = $3 WHERE id = $1`, inv.ID, inv.Status, inv.RespondedAt)
	return err
}

// PendingAgencyInvitations lists pending invitations to join agencies,
// newest first: a user's (userID set) or an agency's (agencyID set).
func (c *Conn) PendingAgencyInvitations(ctx context.Context, userID, agencyID int64) ([]*market.AgencyInvitation, error) {
	col, id := "user_id", userID
	if agencyID != 0 {
		col, id = "agency_id", agencyID
	}
	var out []*market.AgencyInvitation
	err := c.sel(ctx, &out, `SELECT `+agencyInvitationCols+` FROM agency_invitations WHERE `+col+` = $1 AND status = 'PENDING'
		ORDER BY id DESC LIMIT 100`, id)
	return out, err
}
