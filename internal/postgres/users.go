package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

// userCols reads a user: userRowCols, and is_client, true for users who
// signed up as clients and for anyone who posted a job (R26).
var userCols = userRowCols + `,
	(is_client OR EXISTS (SELECT 1 FROM jobs j WHERE j.client_id = users.id)) AS is_client`

// userRowCols are the user's columns read as they are stored.
var userRowCols = names(userRowColumns)

// userRowColumns are the columns of userRowCols; userTable scans them and
// is_client.
var userRowColumns = []column[market.User]{
	col("id", func(u *market.User) any { return &u.ID }),
	col("email", func(u *market.User) any { return &u.Email }),
	col("name", func(u *market.User) any { return &u.Name }),
	col("password_hash", func(u *market.User) any { return &u.PasswordHash }),
	col("token_generation", func(u *market.User) any { return &u.TokenGeneration }),
	col("created_at", func(u *market.User) any { return &u.CreatedAt }),
}

var (
	isClientColumn = []column[market.User]{col("is_client", func(u *market.User) any { return &u.IsClient })}
	userTable      = newColumnTable(userRowColumns, isClientColumn)
)

// CreateUser inserts a user. Errors: CONFLICT when the email is taken.
func (c *Conn) CreateUser(ctx context.Context, email, name, passwordHash string, now time.Time) (*market.User, error) {
	var u market.User
	err := c.get(ctx, &u, `INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4)
		RETURNING `+userCols, email, name, passwordHash, now)
	if isUniqueViolation(err, "users_email_key") {
		return nil, market.Errorf(market.CodeConflict, "a user with email %s already exists", email)
	}
	return &u, err
}

// SignUp inserts a user who signed up, and records whether they act as a
// client. Errors: CONFLICT when the email is taken (regardless of case).
func (c *Conn) SignUp(ctx context.Context, email, name, passwordHash string, client bool, now time.Time) (*market.User, error) {
	var u market.User
	err := c.get(ctx, &u, `INSERT INTO users (email, name, password_hash, is_client, created_at) VALUES ($1, $2, $3, $4, $5)
		RETURNING `+userCols, email, name, passwordHash, client, now)
	if isUniqueViolation(err, "users_email_key") {
		return nil, &market.Error{Code: market.CodeConflict, Message: "an account with this email already exists: sign in instead", Field: "input.email"}
	}
	return &u, err
}

// LockUser loads a user and locks their row. Errors: NOT_FOUND.
func (c *Conn) LockUser(ctx context.Context, id int64) (*market.User, error) {
	var u market.User
	err := c.get(ctx, &u, `SELECT `+userCols+` FROM users WHERE id = $1`+c.lock(true), id)
	return &u, notFound(err, "user")
}

// SetPasswordHash replaces a user's password hash.
func (c *Conn) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	_, err := c.exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, id, hash)
	return err
}

// HasProfile reports whether the user has a freelancer profile (is a freelancer).
func (c *Conn) HasProfile(ctx context.Context, userID int64) (bool, error) {
	var ok bool
	err := c.get(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM freelancer_profiles WHERE user_id = $1)`, userID)
	return ok, err
}

// UserByEmail finds a user by email, case-insensitively. Errors: NOT_FOUND.
func (c *Conn) UserByEmail(ctx context.Context, email string) (*market.User, error) {
	var u market.User
	err := c.get(ctx, &u, `SELECT `+userCols+` FROM users WHERE lower(email) = lower($1)`, email)
	return &u, notFound(err, "user")
}

// UsersByID loads users by id, in no particular order.
func (c *Conn) UsersByID(ctx context.Context, ids []int64) ([]*market.User, error) {
	var us []*market.User
	err := c.selPrepared(ctx, &us, `SELECT `+userCols+` FROM users WHERE id = ANY($1)`, pq.Array(ids))
	return us, err
}

// UserExists reports whether a user exists.
func (c *Conn) UserExists(ctx context.Context, id int64) (bool, error) {
	var ok bool
	err := c.get(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)`, id)
	return ok, err
}

type profileRow struct {
	market.FreelancerProfile
	SkillsArr  pq.StringArray `db:"skills"`
	RateMinor  sql.NullInt64  `db:"hourly_rate_minor"`
	RateCurrcy string         `db:"currency"`
}

func (r *profileRow) profile() *market.FreelancerProfile {
	p := r.FreelancerProfile
	p.Skills = []string(r.SkillsArr)
	p.HourlyRate = moneyPtr(r.RateMinor, r.RateCurrcy)
	return &p
}

const profileCols = `user_id, title, overview, skills, hourly_rate_minor, currency, availability, updated_at`

// UpsertProfile creates or replaces a freelancer profile.
func (c *Conn) UpsertProfile(ctx context.Context, p *market.FreelancerProfile) error {
	_, err := c.exec(ctx, `INSERT INTO freelancer_profiles (`+profileCols+`)
		VALUES ($1, $2, $3, coalesce($4, '{}'::text[]), $5, $6, $7, $8)
		ON CONFLICT (user_id) DO UPDATE SET title = EXCLUDED.title, overview = EXCLUDED.overview,
			skills = EXCLUDED.skills, hourly_rate_minor = EXCLUDED.hourly_rate_minor,
			currency = EXCLUDED.currency, availability = EXCLUDED.availability, updated_at = EXCLUDED.updated_at`,
		p.UserID, p.Title, p.Overview, pq.Array(p.Skills), minorOf(p.HourlyRate), market.DefaultCurrency, p.Availability, p.UpdatedAt)
	return err
}

// ProfilesByUserID loads freelancer profiles of the given users (users
// without one are absent).
func (c *Conn) ProfilesByUserID(ctx context.Context, ids []int64) ([]*market.FreelancerProfile, error) {
	var rows []*profileRow
	if err := c.sel(ctx, &rows, `SELECT `+profileCols+` FROM freelancer_profiles WHERE user_id = ANY($1)`, pq.Array(ids)); err != nil {
		return nil, err
	}
	out := make([]*market.FreelancerProfile, len(rows))
	for i := range rows {
		out[i] = rows[i].profile()
	}
	return out, nil
}

// BlockClient records that a freelancer blocked a client (idempotent).
func (c *Conn) BlockClient(ctx context.Context, freelancerID, clientID int64, now time.Time) error {
	_, err := c.exec(ctx, `INSERT INTO client_blocks (freelancer_id, client_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, freelancerID, clientID, now)
	return err
}

// IsBlocked reports whether the freelancer blocked the client.
func (c *Conn) IsBlocked(ctx context.Context, freelancerID, clientID int64) (bool, error) {
	var ok bool
	err := c.get(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM client_blocks WHERE freelancer_id = $1 AND client_id = $2)`, freelancerID, clientID)
	return ok, err
}
