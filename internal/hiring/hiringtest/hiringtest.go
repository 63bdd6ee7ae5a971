// Package hiringtest is the one home of the tests' fixtures: a settable clock,
// a fresh database with the real store and use cases over it, and
// MustCreateX helpers that build users, agencies, jobs, invitations,
// proposals, rooms, offers and contracts through the real code. It is
// imported by tests only (postgres, hiring, server), so that no package
// keeps its own copy of a clock or of "make me a job".
//
// Each helper fails the test at once on an error: fixtures are
// preconditions, not the behaviour under test.
package hiringtest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/postgres/postgrestest"
)

// Start is where every test clock starts: a Monday morning, in UTC.
var Start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// Clock is the injectable test clock: it stands still until a test moves
// it, so that time rules (R2, R9, R11) are tested without sleeping. It is
// safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at Start.
func NewClock() *Clock { return &Clock{t: Start} }

// Now returns the clock's time; pass c.Now where a func() time.Time is wanted.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Env is one test's world: a fresh, migrated database (postgrestest), the
// store and the use cases over it, on a test clock.
type Env struct {
	TB     testing.TB
	Ctx    context.Context
	DB     *sqlx.DB
	DSN    string
	Store  *postgres.Store
	Clock  *Clock
	Hiring *hiring.Service
}

// New returns an empty world (no demo data) whose service charges Connects
// for invitations (R20) and sends 3 automatic invitations per featured job.
// cfg, if given, replaces that configuration.
func New(tb testing.TB, cfg ...hiring.Config) *Env {
	tb.Helper()
	db, dsn := postgrestest.New(tb)
	c := hiring.Config{ChargeConnectsForInvitations: true, AutoInvites: 3}
	if len(cfg) > 0 {
		c = cfg[0]
	}
	clk := NewClock()
	store := postgres.New(db)
	return &Env{TB: tb, Ctx: context.Background(), DB: db, DSN: dsn, Store: store, Clock: clk,
		Hiring: hiring.New(store, c, clk.Now)}
}

// Seed loads the demo data (hiring.Seed) and returns the demo user with
// the given email.
func (e *Env) Seed() {
	e.TB.Helper()
	if _, err := e.Hiring.Seed(e.Ctx); err != nil {
		e.TB.Fatalf("hiringtest: seed: %v", err)
	}
}

// Demo returns the demo user with the given email (after Seed).
func (e *Env) Demo(email string) *market.User {
	e.TB.Helper()
	u, err := e.Hiring.UserByEmail(e.Ctx, email)
	if err != nil {
		e.TB.Fatalf("hiringtest: demo user %s: %v", email, err)
	}
	return u
}

// Tx runs fn in one transaction of the real store and fails the test on
// an error.
func (e *Env) Tx(fn func(c *postgres.Conn) error) {
	e.TB.Helper()
	if err := e.Store.Transact(e.Ctx, fn); err != nil {
		e.TB.Fatalf("hiringtest: %v", err)
	}
}

// Count runs a SELECT count(*) … and returns the number.
func (e *Env) Count(query string, args ...any) int {
	e.TB.Helper()
	var n int
	if err := e.DB.Get(&n, query, args...); err != nil {
		e.TB.Fatalf("hiringtest: %s: %v", query, err)
	}
	return n
}

// Password is every fixture user's password.
const Password = "fixture-password"

var hashOnce struct {
	sync.Once
	hash string
	err  error
}

// passwordHash hashes Password once per process: bcrypt is slow on purpose.
func passwordHash(tb testing.TB) string {
	tb.Helper()
	hashOnce.Do(func() { hashOnce.hash, hashOnce.err = auth.HashPassword(Password) })
	if hashOnce.err != nil {
		tb.Fatalf("hiringtest: hash: %v", hashOnce.err)
	}
	return hashOnce.hash
}

var userSeq atomic.Int64

// UserOpts describe a fixture user; the zero value is a freelancer with a
// profile (skills go and sql, 50.00 an hour, available) and 100 Connects.
type UserOpts struct {
	Name      string
	Email     string
	Skills    []string
	Rate      int64 // hourly rate in cents; 0: 5000
	Connects  int   // granted at creation; 0: 100, negative: none
	NoProfile bool  // a user without a freelancer profile (a client)
}

// MustCreateUser creates a user through the store: with a freelancer
// profile and Connects unless o says otherwise.
func (e *Env) MustCreateUser(o ...UserOpts) *market.User {
	e.TB.Helper()
	var opt UserOpts
	if len(o) > 0 {
		opt = o[0]
	}
	n := userSeq.Add(1)
	if opt.Name == "" {
		opt.Name = fmt.Sprintf("User %d", n)
	}
	if opt.Email == "" {
		opt.Email = fmt.Sprintf("user%d@fixture.test", n)
	}
	if opt.Skills == nil {
		opt.Skills = []string{"go", "sql"}
	}
	if opt.Rate == 0 {
		opt.Rate = 5000
	}
	if opt.Connects == 0 {
		opt.Connects = 100
	}
	var u *market.User
	now := e.Clock.Now()
	e.Tx(func(c *postgres.Conn) error {
		var err error
		if u, err = c.CreateUser(e.Ctx, opt.Email, opt.Name, passwordHash(e.TB), now); err != nil {
			return err
		}
		if !opt.NoProfile {
			rate := market.USD(opt.Rate)
			if err := c.UpsertProfile(e.Ctx, &market.FreelancerProfile{UserID: u.ID, Title: opt.Name + "'s services",
				Overview: "Fixture profile.", Skills: opt.Skills, HourlyRate: &rate,
				Availability: market.AvailabilityAvailable, UpdatedAt: now}); err != nil {
				return err
			}
		}
		if opt.Connects > 0 {
			_, err = c.AddLedgerEntry(e.Ctx, market.ConnectsOwner{UserID: u.ID}, market.LedgerGrant, opt.Connects, nil, "fixture grant", now)
		}
		return err
	})
	return u
}

// MustCreateClient creates a user without a freelancer profile or Connects.
func (e *Env) MustCreateClient() *market.User {
	e.TB.Helper()
	return e.MustCreateUser(UserOpts{NoProfile: true, Connects: -1})
}

// MustCreateAgency creates an agency owned by owner, with the other members
// in the given roles, and grants it connects Connects (if positive).
func (e *Env) MustCreateAgency(owner *market.User, connects int, members map[*market.User]market.AgencyRole) *market.Agency {
	e.TB.Helper()
	var a *market.Agency
	now := e.Clock.Now()
	e.Tx(func(c *postgres.Conn) error {
		var err error
		if a, err = c.CreateAgency(e.Ctx, fmt.Sprintf("Agency %d", userSeq.Add(1)), now); err != nil {
			return err
		}
		if err := c.AddAgencyMember(e.Ctx, a.ID, owner.ID, market.RoleOwner, now); err != nil {
			return err
		}
		for u, role := range members {
			if err := c.AddAgencyMember(e.Ctx, a.ID, u.ID, role, now); err != nil {
				return err
			}
		}
		if connects > 0 {
			_, err = c.AddLedgerEntry(e.Ctx, market.ConnectsOwner{AgencyID: a.ID}, market.LedgerGrant, connects, nil, "fixture grant", now)
		}
		return err
	})
	return a
}

// HourlyJob is the job MustCreateJob posts unless told otherwise: hourly,
// 30.00 to 80.00, cover letter, 4 Connects, skills go and sql.
func HourlyJob() market.NewJob {
	lo, hi := market.USD(3000), market.USD(8000)
	return market.NewJob{Title: "Build a Go service", Description: "An API with PostgreSQL behind it.",
		Skills: []string{"go", "sql"}, ContractType: market.ContractHourly, HourlyMin: &lo, HourlyMax: &hi,
		ConnectsRequired: 4, InterviewMode: market.InterviewCoverLetter}
}

// FixedJob is a fixed-price job (budget 1,500.00) with the same skills.
func FixedJob() market.NewJob {
	budget := market.USD(150000)
	return market.NewJob{Title: "Fix a report", Description: "One report, fixed price.",
		Skills: []string{"go", "sql"}, ContractType: market.ContractFixed, Budget: &budget,
		ConnectsRequired: 2, InterviewMode: market.InterviewCoverLetter}
}

// MustCreateJob posts a job as client (hiring.PostJob); job defaults to
// HourlyJob().
func (e *Env) MustCreateJob(client *market.User, job ...market.NewJob) *market.Job {
	e.TB.Helper()
	j := HourlyJob()
	if len(job) > 0 {
		j = job[0]
	}
	res, err := e.Hiring.PostJob(e.Ctx, client.ID, j)
	if err != nil {
		e.TB.Fatalf("hiringtest: post job: %v", err)
	}
	return res.Job
}

// MustCreateInvitation has the job's client invite the freelancer
// (hiring.InviteFreelancer).
func (e *Env) MustCreateInvitation(job *market.Job, freelancer *market.User) *market.Invitation {
	e.TB.Helper()
	inv, err := e.Hiring.InviteFreelancer(e.Ctx, job.ClientID, hiring.InviteInput{JobID: job.ID, FreelancerID: freelancer.ID, Message: "Would you apply?"})
	if err != nil {
		e.TB.Fatalf("hiringtest: invite: %v", err)
	}
	return inv
}

// MustAccept has the freelancer accept inv with a cover letter on the
// job's terms (hiring.AcceptInvitation) and returns the proposal.
func (e *Env) MustAccept(freelancer *market.User, inv *market.Invitation) *market.Proposal {
	e.TB.Helper()
	res, err := e.Hiring.AcceptInvitation(e.Ctx, freelancer.ID, hiring.AcceptInput{InvitationID: inv.ID, CoverLetter: "I have done this before."})
	if err != nil {
		e.TB.Fatalf("hiringtest: accept: %v", err)
	}
	return res.Proposal
}

// MustCreateProposal invites the freelancer to the job and accepts with a
// cover letter on the job's terms (hiring.AcceptInvitation).
func (e *Env) MustCreateProposal(job *market.Job, freelancer *market.User) *market.Proposal {
	e.TB.Helper()
	return e.MustAccept(freelancer, e.MustCreateInvitation(job, freelancer))
}

// MustCreateRoom has the job's client message the proposal, which opens its
// room (hiring.MessageProposal, R13).
func (e *Env) MustCreateRoom(job *market.Job, p *market.Proposal) *market.Room {
	e.TB.Helper()
	res, err := e.Hiring.MessageProposal(e.Ctx, job.ClientID, hiring.MessageProposalInput{ProposalID: p.ID, Body: "Hello, when could you start?"})
	if err != nil {
		e.TB.Fatalf("hiringtest: message proposal: %v", err)
	}
	return res.Room
}

// MustCreateOffer sends an offer on the proposal on its terms
// (hiring.SendOffer).
func (e *Env) MustCreateOffer(job *market.Job, p *market.Proposal) *market.Offer {
	e.TB.Helper()
	o, _, err := e.Hiring.SendOffer(e.Ctx, job.ClientID, hiring.SendOfferInput{ProposalID: p.ID, Message: "Let us start."})
	if err != nil {
		e.TB.Fatalf("hiringtest: send offer: %v", err)
	}
	return o
}

// MustCreateContract takes a freelancer from nothing to hired on job:
// proposal, room, offer, acceptance. It returns the proposal, the room and
// the contract.
func (e *Env) MustCreateContract(job *market.Job, freelancer *market.User) (*market.Proposal, *market.Room, *market.Contract) {
	e.TB.Helper()
	p := e.MustCreateProposal(job, freelancer)
	room := e.MustCreateRoom(job, p)
	o := e.MustCreateOffer(job, p)
	_, k, err := e.Hiring.AcceptOffer(e.Ctx, freelancer.ID, o.ID)
	if err != nil {
		e.TB.Fatalf("hiringtest: accept offer: %v", err)
	}
	return p, room, k
}

// WantCode fails the test unless err carries code (an empty code: nil;
// market.CodeInternal: an error that is not a *market.Error).
func WantCode(tb testing.TB, err error, code market.Code) {
	tb.Helper()
	var got market.Code
	if err != nil {
		got = market.ErrorCode(err)
	}
	if got != code {
		tb.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}
