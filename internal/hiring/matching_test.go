package hiring_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/postgres/postgrestest"
)

// TestFeatureJobAutoInvites: the number of automatic invitations is
// configuration (AUTO_INVITES), and featuring twice sends them once.
func TestFeatureJobAutoInvites(t *testing.T) {
	db, _ := postgrestest.New(t)
	ctx := context.Background()
	clk := hiringtest.NewClock()
	svc := hiring.New(postgres.New(db), hiring.Config{AutoInvites: 3}, clk.Now)
	if _, err := svc.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM users WHERE email LIKE '%@`+hiring.PoolDomain+`'`); n != hiring.DemoPoolSize {
		t.Fatalf("the demo pool holds %d freelancers", n)
	}
	client, err := svc.UserByEmail(ctx, hiring.DemoClient)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := svc.Jobs(ctx, client.ID, nil, market.PageRequest{Limit: 10, Count: true})
	if err != nil {
		t.Fatal(err)
	}
	var react *market.Job
	for _, j := range jobs.Items {
		if j.Title == "React dashboard for a logistics startup" {
			react = j
		}
	}
	res, err := svc.FeatureJob(ctx, client.ID, react.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Invitations) != 3 || !res.Job.Featured {
		t.Fatalf("featuring sent %d invitations", len(res.Invitations))
	}
	for _, inv := range res.Invitations {
		if inv.Origin != market.OriginAutomatic || inv.MatchScore == nil || len(inv.MatchedSkills) == 0 || inv.ClientID != client.ID {
			t.Errorf("%+v", inv)
		}
	}
	again, err := svc.FeatureJob(ctx, client.ID, react.ID)
	if err != nil || len(again.Invitations) != 0 {
		t.Fatalf("featuring again: %v, %d invitations", err, len(again.Invitations))
	}
	if n := count(t, db, `SELECT count(*) FROM invitations WHERE origin = 'AUTOMATIC'`); n != 1+3 {
		t.Errorf("%d automatic invitations (the demo data's one and 3)", n)
	}
}

// TestGeneratedFreelancer: generated freelancer number i is always the same
// person, with normalized skills and a valid profile.
func TestGeneratedFreelancer(t *testing.T) {
	for i := 1; i <= 500; i++ {
		f := hiring.GeneratedFreelancer(i)
		if !reflect.DeepEqual(f, hiring.GeneratedFreelancer(i)) {
			t.Fatalf("%d: not deterministic", i)
		}
		if f.Email != hiring.PoolEmail(i) || len(f.Skills) == 0 || f.Name == "" || f.Title == "" {
			t.Fatalf("%d: %+v", i, f)
		}
		skills, err := market.NormalizeSkills("skills", f.Skills)
		if err != nil || !reflect.DeepEqual(skills, f.Skills) {
			t.Fatalf("%d: skills %v not normalized", i, f.Skills)
		}
		u := market.ProfileUpdate{Title: &f.Title, Overview: &f.Overview, Skills: f.Skills,
			HourlyRate: &market.Money{Minor: f.RateMinor, Currency: "USD"}, Availability: &f.Availability}
		if err := u.Validate(); err != nil {
			t.Fatalf("%d: %v", i, err)
		}
	}
	if reflect.DeepEqual(hiring.GeneratedFreelancer(1), hiring.GeneratedFreelancer(2)) {
		t.Error("freelancers 1 and 2 are the same")
	}
}

// TestRankingMatchesBruteForce compares the tiered SQL ranking with a plain
// Go ranking of every profile of the demo data (its 300 generated
// freelancers and the demo accounts) for jobs of 1 to 30 skills, hourly and
// fixed: the same freelancers in the same order with the same scores.
func TestRankingMatchesBruteForce(t *testing.T) {
	db, _ := postgrestest.New(t)
	ctx := context.Background()
	svc := hiring.New(postgres.New(db), hiring.Config{}, func() time.Time { return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) })
	if _, err := svc.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	client, err := svc.UserByEmail(ctx, hiring.DemoClient)
	if err != nil {
		t.Fatal(err)
	}
	var profiles []struct {
		UserID int64          `db:"user_id"`
		Skills pq.StringArray `db:"skills"`
		Rate   *int64         `db:"hourly_rate_minor"`
		Avail  string         `db:"availability"`
	}
	if err := db.Select(&profiles, `SELECT user_id, skills, hourly_rate_minor, availability FROM freelancer_profiles`); err != nil {
		t.Fatal(err)
	}
	vocab := map[string]bool{}
	for _, p := range profiles {
		for _, s := range p.Skills {
			vocab[s] = true
		}
	}
	all := slices.Sorted(maps.Keys(vocab))
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 30; n++ {
		skills := make([]string, 0, n)
		for _, k := range r.Perm(len(all))[:min(n, len(all))] {
			skills = append(skills, all[k])
		}
		if n <= 3 && n%2 == 1 { // some jobs of common skills only
			skills = []string{"javascript", "python", "postgresql"}[:n]
		}
		nj := market.NewJob{Title: fmt.Sprintf("Job %d", n), Description: "Ranking check.", Skills: skills, ConnectsRequired: 1}
		if n%2 == 0 {
			nj.ContractType, nj.HourlyMin, nj.HourlyMax = market.ContractHourly, ptr(market.USD(3000)), ptr(market.USD(5000))
		} else {
			nj.ContractType, nj.Budget = market.ContractFixed, ptr(market.USD(90000))
		}
		res, err := svc.PostJob(ctx, client.ID, nj)
		if err != nil {
			t.Fatal(err)
		}
		job := res.Job
		type cand struct {
			id      int64
			matched int
			fits    bool
			avail   int
		}
		var want []cand
		for _, p := range profiles {
			if p.UserID == client.ID {
				continue
			}
			c := cand{id: p.UserID, avail: slices.Index(market.AvailabilityOrder, market.Availability(p.Avail))}
			for _, s := range job.Skills {
				if slices.Contains(p.Skills, s) {
					c.matched++
				}
			}
			c.fits = job.ContractType == market.ContractFixed || (p.Rate != nil && *p.Rate <= job.HourlyMax.Minor)
			if c.matched > 0 {
				want = append(want, c)
			}
		}
		slices.SortFunc(want, func(x, y cand) int {
			if x.matched != y.matched {
				return y.matched - x.matched
			}
			if x.fits != y.fits {
				if x.fits {
					return -1
				}
				return 1
			}
			if x.avail != y.avail {
				return x.avail - y.avail
			}
			return int(x.id - y.id)
		})
		want = want[:min(len(want), market.MaxRecommendations)]
		limit := market.MaxRecommendations
		got, err := svc.RecommendedFreelancers(ctx, client.ID, job.ID, &limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d skills: %d candidates, want %d", n, len(got), len(want))
		}
		for i, g := range got {
			w := want[i]
			score := market.MatchScore(w.matched, len(job.Skills), w.fits, market.AvailabilityOrder[w.avail])
			if g.FreelancerID != w.id || g.Score != score || len(g.MatchedSkills) != w.matched || g.RateFits != w.fits {
				t.Fatalf("%d skills %v, rank %d: got %+v, want %+v (score %v)", n, job.Skills, i, g, w, score)
			}
		}
	}
}
