package hiring_test

import (
	"context"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/postgres/postgrestest"
)

// BenchmarkRankFreelancers ranks 100,000 generated profiles (plus the demo
// pool) for one job, as recommendedFreelancers and featuring do, for jobs
// of three shapes, and logs each statement's EXPLAIN (ANALYZE, BUFFERS) plan.
//
//	go test ./internal/hiring -run '^$' -bench RankFreelancers -benchtime 200x -v
func BenchmarkRankFreelancers(b *testing.B) {
	db, _ := postgrestest.New(b)
	ctx := context.Background()
	svc := hiring.New(postgres.New(db), hiring.Config{}, func() time.Time { return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) })
	if _, err := svc.Seed(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if _, _, err := svc.GenerateFreelancers(ctx, 100000); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated 100,000 freelancers in %v", time.Since(start).Round(time.Millisecond))
	client, err := svc.UserByEmail(ctx, hiring.DemoClient)
	if err != nil {
		b.Fatal(err)
	}
	max := market.USD(6000)
	post := func(title string, skills ...string) market.MatchCriteria {
		res, err := svc.PostJob(ctx, client.ID, market.NewJob{
			Title: title, Description: "A job for the ranking benchmark.", Skills: skills,
			ContractType: market.ContractHourly, HourlyMin: ptr(market.USD(3000)), HourlyMax: &max, ConnectsRequired: 4,
		})
		if err != nil {
			b.Fatal(err)
		}
		return market.MatchCriteriaFor(res.Job)
	}
	jobs := []struct {
		name string
		crit market.MatchCriteria
	}{
		// Common skills; about 1,800 profiles have all three.
		{"GoGraphQLPostgres", post("GraphQL API in Go", "go", "graphql", "postgresql")},
		// A rare combination: almost nobody has two of these, so the
		// ranking goes down to the last tier and reads every profile with
		// any of the three.
		{"RareCombination", post("SwiftUI app with a Go backend, designed in Figma", "swift", "go", "figma")},
		// Eight skills: eight tiers in the statement.
		{"EightSkills", post("Full-stack product work", "javascript", "react", "node.js", "postgresql", "aws", "docker", "graphql", "typescript")},
	}
	for _, job := range jobs {
		for _, o := range []struct {
			name string
			opts postgres.RankOptions
		}{
			{"Recommend10", postgres.RankOptions{Limit: 10}},
			{"AutoInvite10", postgres.RankOptions{Limit: 10, ExcludeInvited: true}},
			{"Recommend100", postgres.RankOptions{Limit: 100}},
		} {
			b.Run(job.name+"/"+o.name, func(b *testing.B) {
				c := svc.Store().Read()
				plan, err := c.ExplainRankFreelancers(ctx, job.crit, o.opts)
				if err != nil {
					b.Fatal(err)
				}
				b.Logf("EXPLAIN (ANALYZE, BUFFERS):\n%s", plan)
				for b.Loop() {
					cands, err := c.RankFreelancers(ctx, job.crit, o.opts)
					if err != nil {
						b.Fatal(err)
					}
					if len(cands) != o.opts.Limit {
						b.Fatalf("%d candidates", len(cands))
					}
				}
			})
		}
	}
}

func ptr[T any](v T) *T { return &v }
