package hiring

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// Generated freelancers: the demo data's pool, so that featuring a demo job
// visibly invites people, and load data for benchmarks (`server seed
// --freelancers N`). Freelancer number i (from 1) is always the same
// person: their profile is drawn from a generator seeded with i alone.
// Their emails are freelancerNNNNNN@PoolDomain and their password is
// DemoPassword; they share one password hash, so that inserting many costs
// one bcrypt.

// PoolDomain is the email domain of generated freelancers.
const PoolDomain = "pool.hiregraph.test"

// DemoPoolSize is how many generated freelancers the demo data holds.
const DemoPoolSize = 300

// PoolEmail is the email of generated freelancer number i (from 1).
func PoolEmail(i int) string { return fmt.Sprintf("freelancer%06d@%s", i, PoolDomain) }

type specialty struct {
	title string
	core  []string // every profile of the specialty has most of these
	extra []string // and some of these
}

var specialties = []specialty{
	{"Go backend engineer", []string{"go", "postgresql", "docker"}, []string{"graphql", "grpc", "kubernetes", "redis", "aws", "microservices", "rest api"}},
	{"Frontend developer", []string{"javascript", "react", "typescript"}, []string{"css", "html", "next.js", "redux", "graphql", "tailwind css", "vue.js"}},
	{"Full-stack JavaScript developer", []string{"javascript", "node.js", "react"}, []string{"typescript", "mongodb", "postgresql", "express", "graphql", "aws"}},
	{"Python developer", []string{"python", "django"}, []string{"postgresql", "flask", "rest api", "celery", "aws", "docker"}},
	{"Data engineer", []string{"python", "sql", "etl"}, []string{"airflow", "spark", "postgresql", "snowflake", "dbt", "aws"}},
	{"Data scientist", []string{"python", "machine learning"}, []string{"pandas", "tensorflow", "pytorch", "sql", "statistics", "data visualization"}},
	{"iOS developer", []string{"swift", "ios"}, []string{"objective-c", "swiftui", "firebase", "rest api"}},
	{"Android developer", []string{"kotlin", "android"}, []string{"java", "firebase", "jetpack compose", "rest api"}},
	{"DevOps engineer", []string{"kubernetes", "docker", "aws"}, []string{"terraform", "ci/cd", "linux", "go", "python", "prometheus"}},
	{"UI/UX designer", []string{"ui design", "figma"}, []string{"ux research", "prototyping", "css", "design systems", "adobe xd"}},
	{"WordPress developer", []string{"wordpress", "php"}, []string{"css", "html", "javascript", "woocommerce", "seo", "mysql"}},
	{"Ruby on Rails developer", []string{"ruby", "ruby on rails"}, []string{"postgresql", "javascript", "redis", "heroku", "rspec"}},
	{"Java engineer", []string{"java", "spring boot"}, []string{"microservices", "postgresql", "kafka", "aws", "docker"}},
	{".NET developer", []string{"c#", ".net"}, []string{"asp.net", "sql server", "azure", "javascript"}},
	{"Technical writer", []string{"technical writing", "documentation"}, []string{"api documentation", "markdown", "seo"}},
	{"QA engineer", []string{"test automation", "selenium"}, []string{"cypress", "python", "javascript", "ci/cd"}},
}

var (
	firstNames = []string{"Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam",
		"Maya", "Nikolai", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe"}
	lastNames = []string{"Almeida", "Brandt", "Chen", "Diallo", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen",
		"Kowalski", "Lindqvist", "Mensah", "Novak", "Okafor", "Petrov", "Quispe", "Rossi", "Silva", "Tanaka", "Urbina",
		"Varga", "Wójcik", "Yilmaz", "Zhang"}
	seniorities = []struct {
		prefix   string
		minRate  int64 // dollars
		maxRate  int64
		minYears int
	}{
		{"Junior ", 15, 35, 1}, {"", 30, 80, 3}, {"Senior ", 60, 150, 7},
	}
)

// GeneratedFreelancer returns generated freelancer number i (from 1).
func GeneratedFreelancer(i int) postgres.GeneratedFreelancer {
	r := rand.New(rand.NewPCG(0x68697265, uint64(i)))
	sp := specialties[r.IntN(len(specialties))]
	sen := seniorities[r.IntN(len(seniorities))]
	var skills []string
	for _, s := range sp.core {
		if r.IntN(10) > 0 { // each core skill 90% of the time
			skills = append(skills, s)
		}
	}
	for _, k := range r.Perm(len(sp.extra))[:1+r.IntN(min(4, len(sp.extra)))] {
		skills = append(skills, sp.extra[k])
	}
	if r.IntN(5) == 0 { // one skill from elsewhere
		other := specialties[r.IntN(len(specialties))]
		skills = append(skills, other.core[r.IntN(len(other.core))])
	}
	skills, _ = market.NormalizeSkills("skills", skills)
	availability := market.AvailabilityAvailable
	switch n := r.IntN(20); {
	case n >= 17:
		availability = market.AvailabilityUnavailable
	case n >= 12:
		availability = market.AvailabilityPartTime
	}
	years := sen.minYears + r.IntN(5)
	rate := (sen.minRate + r.Int64N(sen.maxRate-sen.minRate+1)) * 100
	return postgres.GeneratedFreelancer{
		Email:        PoolEmail(i),
		Name:         firstNames[r.IntN(len(firstNames))] + " " + lastNames[r.IntN(len(lastNames))],
		Title:        sen.prefix + sp.title,
		Overview:     fmt.Sprintf("%d years of %s work. Comfortable with %s.", years, strings.ToLower(sp.title), strings.Join(skills, ", ")),
		Skills:       skills,
		RateMinor:    rate,
		Availability: availability,
	}
}

// GenerateFreelancers adds n generated freelancers after those already
// there, in one transaction, and returns the numbers of the first and the
// last. Each has a user (password DemoPassword) and a freelancer profile.
func (s *Service) GenerateFreelancers(ctx context.Context, n int) (first, last int, err error) {
	if n <= 0 {
		return 0, 0, market.Invalid("freelancers", "the number of freelancers must be positive")
	}
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return 0, 0, err
	}
	err = s.store.Transact(ctx, func(c *postgres.Conn) error {
		have, err := c.CountUsersByEmailDomain(ctx, PoolDomain)
		if err != nil {
			return err
		}
		first, last = have+1, have+n
		return insertGenerated(ctx, c, first, last, hash, s.Now())
	})
	return first, last, err
}

// insertGenerated inserts generated freelancers number first to last.
func insertGenerated(ctx context.Context, c *postgres.Conn, first, last int, hash string, now time.Time) error {
	fs := make([]postgres.GeneratedFreelancer, 0, last-first+1)
	for i := first; i <= last; i++ {
		fs = append(fs, GeneratedFreelancer(i))
	}
	return c.InsertFreelancers(ctx, fs, hash, now)
}

// LoadInvitationsPerJob is how many freelancers each generated load job
// invites: the demo freelancer and LoadInvitationsPerJob-1 generated ones.
// So the demo freelancer holds one in LoadInvitationsPerJob of the
// generated invitations (1,000 of 100,000).
const LoadInvitationsPerJob = 100

// GenerateInvitations adds about n invitations as load data (n rounded down
// to a multiple of LoadInvitationsPerJob), in one transaction: n/100 jobs of
// the demo client, each inviting the demo freelancer and 99 generated
// freelancers. It needs the demo data and at least 99 generated
// freelancers, and returns how many invitations it added.
func (s *Service) GenerateInvitations(ctx context.Context, n int) (int64, error) {
	jobs := n / LoadInvitationsPerJob
	if jobs < 1 {
		return 0, market.Invalid("invitations", "the number of invitations must be at least %d", LoadInvitationsPerJob)
	}
	var added int64
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		client, err := c.UserByEmail(ctx, DemoClient)
		if err != nil {
			return fmt.Errorf("the demo data is missing: %w", err)
		}
		freelancer, err := c.UserByEmail(ctx, DemoFreelancer)
		if err != nil {
			return fmt.Errorf("the demo data is missing: %w", err)
		}
		pool, err := c.CountUsersByEmailDomain(ctx, PoolDomain)
		if err != nil {
			return err
		}
		if pool < LoadInvitationsPerJob-1 {
			return market.Invalid("invitations", "generated invitations need at least %d generated freelancers (-freelancers)", LoadInvitationsPerJob-1)
		}
		added, err = c.InsertLoadInvitations(ctx, client.ID, freelancer.ID, PoolDomain, jobs, LoadInvitationsPerJob, s.Now())
		return err
	})
	return added, err
}
