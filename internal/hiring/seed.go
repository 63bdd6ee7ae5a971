package hiring

import (
	"context"
	"fmt"
	"time"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "hiregraph-demo"

// Demo accounts.
const (
	DemoClient     = "client@hiregraph.test"
	DemoFreelancer = "freelancer@hiregraph.test"
	DemoOwner      = "owner@agency.hiregraph.test"
	DemoManager    = "manager@agency.hiregraph.test"
	DemoMember     = "member@agency.hiregraph.test"
)

// DemoLogins lists the demo accounts with what each is for.
var DemoLogins = [][2]string{
	{DemoFreelancer, "freelancer with Connects and pending invitations"},
	{DemoClient, "client with open jobs (one featured, one instant-interview)"},
	{DemoOwner, "agency owner"},
	{DemoManager, "agency business manager"},
	{DemoMember, "agency member"},
	{PoolEmail(1), fmt.Sprintf("the first of %d generated freelancers, whom featured jobs invite", DemoPoolSize)},
}

// Seed loads the demo data unless it is there already. It reports whether
// it wrote anything.
func (s *Service) Seed(ctx context.Context) (bool, error) {
	if _, err := s.store.Read().UserByEmail(ctx, DemoClient); err == nil {
		return false, nil
	} else if !market.IsCode(err, market.CodeNotFound) {
		return false, err
	}
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return false, err
	}
	err = s.store.Transact(ctx, func(c *postgres.Conn) error {
		return seed(ctx, c, hash, s.Now())
	})
	return err == nil, err
}

func seed(ctx context.Context, c *postgres.Conn, hash string, now time.Time) error {
	users := map[string]*market.User{}
	for _, u := range []struct{ email, name string }{
		{DemoClient, "Casey Client"}, {DemoFreelancer, "Frankie Freelancer"},
		{DemoOwner, "Olivia Owner"}, {DemoManager, "Manny Manager"}, {DemoMember, "Mia Member"},
	} {
		created, err := c.CreateUser(ctx, u.email, u.name, hash, now)
		if err != nil {
			return err
		}
		users[u.email] = created
	}
	rate := func(d int64) *market.Money { m := market.USD(d * 100); return &m }
	profiles := []market.FreelancerProfile{
		{UserID: users[DemoFreelancer].ID, Title: "Full-stack Go and React engineer", Overview: "Eight years of building APIs and dashboards.",
			Skills: []string{"go", "graphql", "postgresql", "react", "typescript"}, HourlyRate: rate(55), Availability: market.AvailabilityAvailable},
		{UserID: users[DemoOwner].ID, Title: "Agency founder, product engineering", Skills: []string{"go", "product management"}, HourlyRate: rate(90), Availability: market.AvailabilityPartTime},
		{UserID: users[DemoManager].ID, Title: "Business manager and delivery lead", Skills: []string{"project management", "react"}, HourlyRate: rate(70), Availability: market.AvailabilityAvailable},
		{UserID: users[DemoMember].ID, Title: "Frontend developer", Skills: []string{"react", "typescript", "css"}, HourlyRate: rate(45), Availability: market.AvailabilityAvailable},
	}
	for i := range profiles {
		profiles[i].UpdatedAt = now
		if err := c.UpsertProfile(ctx, &profiles[i]); err != nil {
			return err
		}
	}
	agency, err := c.CreateAgency(ctx, "Northwind Studio", now)
	if err != nil {
		return err
	}
	for email, role := range map[string]market.AgencyRole{DemoOwner: market.RoleOwner, DemoManager: market.RoleBusinessManager, DemoMember: market.RoleMember} {
		if err := c.AddAgencyMember(ctx, agency.ID, users[email].ID, role, now); err != nil {
			return err
		}
	}
	for _, grant := range []struct {
		owner  market.ConnectsOwner
		amount int
	}{
		{market.ConnectsOwner{UserID: users[DemoFreelancer].ID}, 80},
		{market.ConnectsOwner{UserID: users[DemoMember].ID}, 20},
		{market.ConnectsOwner{AgencyID: agency.ID}, 200},
	} {
		if _, err := c.AddLedgerEntry(ctx, grant.owner, market.LedgerGrant, grant.amount, nil, "Welcome grant", now); err != nil {
			return err
		}
	}

	client := users[DemoClient].ID
	jobs := []market.NewJob{
		{Title: "React dashboard for a logistics startup", Description: "Build the operator dashboard for our delivery fleet: live map, orders table, alerts.",
			Skills: []string{"react", "typescript", "graphql"}, ContractType: market.ContractHourly, HourlyMin: rate(30), HourlyMax: rate(60),
			ConnectsRequired: 6, InterviewMode: market.InterviewCoverLetter},
		{Title: "Go engineer for a GraphQL API", Description: "Design and build a GraphQL API in Go over PostgreSQL, with subscriptions.",
			Skills: []string{"go", "graphql", "postgresql"}, ContractType: market.ContractFixed, Budget: rate(2500),
			ConnectsRequired: 8, InterviewMode: market.InterviewCoverLetter, Featured: true},
		{Title: "Data pipeline for sales reports", Description: "Nightly ETL from our shop's database into a reporting warehouse.",
			Skills: []string{"python", "postgresql", "etl"}, ContractType: market.ContractHourly, HourlyMin: rate(40), HourlyMax: rate(75),
			ConnectsRequired: 4, InterviewMode: market.InterviewInstant,
			Questions: []string{"Which ETL tools have you used in production?", "How would you make a nightly job safe to re-run?"}},
		{Title: "Landing page polish", Description: "Tidy up the CSS and accessibility of our marketing landing page.",
			Skills: []string{"css", "react"}, ContractType: market.ContractFixed, Budget: rate(400),
			ConnectsRequired: 2, InterviewMode: market.InterviewCoverLetter},
	}
	created := make([]*market.Job, len(jobs))
	for i := range jobs {
		if err := jobs[i].Validate(); err != nil {
			return fmt.Errorf("demo job %d: %w", i, err)
		}
		if created[i], err = c.CreateJob(ctx, client, &jobs[i], now); err != nil {
			return err
		}
	}
	score := 0.87
	invites := []struct {
		job int
		inv market.Invitation
	}{
		{0, market.Invitation{FreelancerID: users[DemoFreelancer].ID, Origin: market.OriginDirect,
			Message: "Hi Frankie, your dashboard work looks great. Would you apply to this one?"}},
		{1, market.Invitation{FreelancerID: users[DemoFreelancer].ID, Origin: market.OriginAutomatic,
			MatchScore: &score, MatchedSkills: []string{"go", "graphql", "postgresql"}}},
		{2, market.Invitation{FreelancerID: users[DemoFreelancer].ID, Origin: market.OriginDirect,
			Message: "We run a short instant interview instead of cover letters."}},
		{3, market.Invitation{FreelancerID: users[DemoMember].ID, AgencyID: &agency.ID, Origin: market.OriginDirect,
			Message: "Your agency did a lovely job on a similar page."}},
	}
	for i, x := range invites {
		inv := x.inv
		inv.JobID, inv.ClientID = created[x.job].ID, client
		inv.CreatedAt = now.Add(time.Duration(i-len(invites)) * time.Minute)
		saved, err := c.CreateInvitation(ctx, &inv)
		if err != nil {
			return err
		}
		if err := notifyInvited(ctx, c, saved, created[x.job], nil, now); err != nil {
			return err
		}
	}
	// A pool of generated freelancers for matching (R22). The demo jobs get
	// no automatic invitations here: feature one to see them sent.
	have, err := c.CountUsersByEmailDomain(ctx, PoolDomain)
	if err != nil {
		return err
	}
	return insertGenerated(ctx, c, have+1, have+DemoPoolSize, hash, now)
}
