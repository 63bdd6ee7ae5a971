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
