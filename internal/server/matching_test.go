package server_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// Issue 5: freelancer profiles, recommendations (R22) and invitation
// statistics (R9), through the HTTP API.

const profileFields = `title overview skills hourlyRate { amount currency } availability`

type profileJSON struct {
	Title        string
	Overview     string
	Skills       []string
	HourlyRate   *struct{ Amount, Currency string }
	Availability string
}

const updateProfileMutation = `mutation($in: UpdateProfileInput!) { updateProfile(input: $in) {
  profile { ` + profileFields + ` } user { id name freelancerProfile { title } } } }`

func (a *app) updateProfile(token string, in map[string]any) profileJSON {
	a.t.Helper()
	var d struct{ UpdateProfile struct{ Profile profileJSON } }
	a.ok(token, updateProfileMutation, map[string]any{"in": in}, &d)
	return d.UpdateProfile.Profile
}

func (a *app) profileState(email string) string {
	a.t.Helper()
	var s string
	if err := a.DB.Get(&s, `SELECT coalesce((SELECT concat_ws('|', title, overview, skills, hourly_rate_minor, availability, updated_at)
		FROM freelancer_profiles p JOIN users u ON u.id = p.user_id WHERE u.email = $1), 'none')`, email); err != nil {
		a.t.Fatal(err)
	}
	return s
}

func TestUpdateProfile(t *testing.T) {
	a := newApp(t)
	fr := a.tok(hiring.DemoFreelancer)
	before := a.updateProfile(fr, map[string]any{})
	if before.Title != "Full-stack Go and React engineer" || len(before.Skills) != 5 || before.HourlyRate.Amount != "55.00" {
		t.Fatalf("an empty edit changes nothing and returns the profile: %+v", before)
	}

	t.Run("OK", func(t *testing.T) {
		a.sub(t)
		a.Clock.Advance(time.Minute)
		p := a.updateProfile(fr, map[string]any{"skills": []string{" Go ", "GraphQL", "go", "Kubernetes"},
			"hourlyRate": map[string]any{"amount": "62.5"}, "availability": "PART_TIME"})
		if p.Title != before.Title || p.Overview != before.Overview {
			t.Errorf("fields left out are unchanged: %+v", p)
		}
		if !slices.Equal(p.Skills, []string{"go", "graphql", "kubernetes"}) || p.HourlyRate.Amount != "62.50" ||
			p.HourlyRate.Currency != "USD" || p.Availability != "PART_TIME" {
			t.Errorf("edited fields: %+v", p)
		}
		p = a.updateProfile(fr, map[string]any{"title": "  Go engineer  ", "overview": "APIs in Go, mostly GraphQL.", "skills": []string{}})
		if p.Title != "Go engineer" || p.Overview != "APIs in Go, mostly GraphQL." || len(p.Skills) != 0 || p.HourlyRate.Amount != "62.50" {
			t.Errorf("second edit: %+v", p)
		}
		// Anyone signed in sees the profile.
		var d struct {
			Node struct{ FreelancerProfile profileJSON }
		}
		a.ok(a.tok(hiring.DemoClient), `query($id: ID!) { node(id: $id) { ... on User { freelancerProfile { `+profileFields+` } } } }`,
			map[string]any{"id": gid("User", a.userID(hiring.DemoFreelancer))}, &d)
		if d.Node.FreelancerProfile.Title != "Go engineer" {
			t.Errorf("as the client: %+v", d.Node.FreelancerProfile)
		}
	})

	t.Run("FirstEditCreates", func(t *testing.T) {
		a.sub(t)
		client := a.tok(hiring.DemoClient)
		var v struct {
			Viewer struct {
				User struct{ FreelancerProfile *profileJSON }
			}
		}
		a.ok(client, `{ viewer { user { freelancerProfile { title } } } }`, nil, &v)
		if v.Viewer.User.FreelancerProfile != nil {
			t.Fatal("the demo client starts without a profile")
		}
		p := a.updateProfile(client, map[string]any{"title": "Product owner who codes"})
		if p.Title != "Product owner who codes" || p.Availability != "AVAILABLE" || p.HourlyRate != nil || len(p.Skills) != 0 {
			t.Errorf("a new profile starts available, without skills or rate: %+v", p)
		}
	})

	t.Run("ErrValidation", func(t *testing.T) {
		a.sub(t)
		state := a.profileState(hiring.DemoFreelancer)
		for _, tc := range []struct {
			in    map[string]any
			field string
		}{
			{map[string]any{"title": "   "}, "input.title"},
			{map[string]any{"title": strings.Repeat("t", 201)}, "input.title"},
			{map[string]any{"overview": strings.Repeat("o", 5001)}, "input.overview"},
			{map[string]any{"skills": []string{"go", ""}}, "input.skills"},
			{map[string]any{"skills": slices.Repeat([]string{"x"}, 31)}, "input.skills"},
			{map[string]any{"hourlyRate": map[string]any{"amount": "2.99"}}, "input.hourlyRate.amount"},
			{map[string]any{"hourlyRate": map[string]any{"amount": "1000.00"}}, "input.hourlyRate.amount"},
			{map[string]any{"hourlyRate": map[string]any{"amount": "ten"}}, "input.hourlyRate.amount"},
			{map[string]any{"hourlyRate": map[string]any{"amount": "40.00", "currency": "EUR"}}, "input.hourlyRate.currency"},
			{map[string]any{"title": "Fine title", "hourlyRate": map[string]any{"amount": "1.00"}}, "input.hourlyRate.amount"},
		} {
			r := a.fails("VALIDATION_FAILED", fr, updateProfileMutation, map[string]any{"in": tc.in})
			if f := r.Errors[0].Extensions["field"]; f != tc.field {
				t.Errorf("%v: field %v, want %s", tc.in, f, tc.field)
			}
		}
		if got := a.profileState(hiring.DemoFreelancer); got != state {
			t.Errorf("a failed edit changed the profile: %s -> %s", state, got)
		}
	})

	t.Run("ErrContactInfo", func(t *testing.T) {
		a.sub(t)
		state := a.profileState(hiring.DemoFreelancer)
		for _, tc := range []struct {
			in    map[string]any
			field string
		}{
			{map[string]any{"overview": "Write to frankie at gmail dot com"}, "input.overview"},
			{map[string]any{"title": "Go dev, call +1 415 555 0100"}, "input.title"},
			{map[string]any{"title": "Fine", "skills": []string{"go", "skype: frankie.dev"}}, "input.skills.1"},
		} {
			r := a.fails("CONTACT_INFO_NOT_ALLOWED", fr, updateProfileMutation, map[string]any{"in": tc.in})
			if f := r.Errors[0].Extensions["field"]; f != tc.field {
				t.Errorf("%v: field %v, want %s", tc.in, f, tc.field)
			}
		}
		if got := a.profileState(hiring.DemoFreelancer); got != state {
			t.Errorf("a refused edit changed the profile: %s -> %s", state, got)
		}
	})

	t.Run("ErrUnauthenticated", func(t *testing.T) {
		a.sub(t)
		a.fails("UNAUTHENTICATED", "", updateProfileMutation, map[string]any{"in": map[string]any{"title": "x"}})
	})
}

// poolMember is one freelancer of a hand-built pool.
type poolMember struct {
	name   string
	skills []string
	rate   int64 // dollars; 0: no rate
	avail  market.Availability
}

// buildPool creates users with freelancer profiles, in order (so user ids
// ascend in the given order), and returns their ids by name.
func (a *app) buildPool(members []poolMember) map[string]int64 {
	a.t.Helper()
	ids := map[string]int64{}
	ctx := context.Background()
	err := postgres.New(a.DB).Transact(ctx, func(c *postgres.Conn) error {
		for _, m := range members {
			u, err := c.CreateUser(ctx, strings.ToLower(strings.ReplaceAll(m.name, " ", "."))+"@handbuilt.test", m.name, "x", a.Clock.Now())
			if err != nil {
				return err
			}
			p := &market.FreelancerProfile{UserID: u.ID, Title: "Engineer", Skills: m.skills, Availability: m.avail, UpdatedAt: a.Clock.Now()}
			if m.rate > 0 {
				r := market.USD(m.rate * 100)
				p.HourlyRate = &r
			}
			if err := c.UpsertProfile(ctx, p); err != nil {
				return err
			}
			ids[m.name] = u.ID
		}
		return nil
	})
	if err != nil {
		a.t.Fatal(err)
	}
	return ids
}

// handBuiltPool uses skills no generated freelancer has, so that the demo
// pool stays out of the rankings.
var handBuiltPool = []poolMember{
	{"Ada All", []string{"hg-alpha", "hg-beta", "hg-gamma"}, 50, market.AvailabilityAvailable},
	{"Bo Pricey", []string{"hg-gamma", "hg-alpha", "hg-beta", "hg-zeta"}, 80, market.AvailabilityAvailable},
	{"Cy Parttime", []string{"hg-alpha", "hg-beta", "hg-gamma"}, 40, market.AvailabilityPartTime},
	{"Di Two", []string{"hg-gamma", "hg-beta"}, 20, market.AvailabilityAvailable},
	{"Ed Away", []string{"hg-alpha", "hg-gamma"}, 60, market.AvailabilityUnavailable},
	{"Fi Norate", []string{"hg-alpha"}, 0, market.AvailabilityAvailable},
	{"Gu Tie", []string{"hg-alpha"}, 45, market.AvailabilityAvailable},
	{"Ho Tie", []string{"hg-alpha"}, 45, market.AvailabilityAvailable},
	{"Iv Blocker", []string{"hg-alpha", "hg-beta", "hg-gamma"}, 50, market.AvailabilityAvailable},
	{"Jo Elsewhere", []string{"hg-delta"}, 50, market.AvailabilityAvailable},
	{"Lu Invited", []string{"hg-alpha", "hg-beta", "hg-gamma"}, 50, market.AvailabilityAvailable},
}

type recommendationJSON struct {
	Freelancer       struct{ ID, Name string }
	Score            float64
	MatchedSkills    []string
	RateWithinBudget bool
	AlreadyInvited   bool
}

const recommendedQuery = `query($job: ID!, $first: Int) { recommendedFreelancers(jobId: $job, first: $first) {
  freelancer { id name } score matchedSkills rateWithinBudget alreadyInvited } }`

func (a *app) recommended(token, jobID string, first int) []recommendationJSON {
	a.t.Helper()
	var d struct{ RecommendedFreelancers []recommendationJSON }
	a.ok(token, recommendedQuery, map[string]any{"job": jobID, "first": first}, &d)
	return d.RecommendedFreelancers
}

func (a *app) postMatchJob(token string, in map[string]any) (string, []invitationJSON) {
	a.t.Helper()
	base := map[string]any{"title": "Hand-built pool job", "description": "Matching test.", "connectsRequired": 0,
		"skills": []string{"HG-Alpha", "hg-beta", "hg-gamma"}}
	for k, v := range in {
		base[k] = v
	}
	var d struct {
		PostJob struct {
			Job                  struct{ ID string }
			AutomaticInvitations []invitationJSON
		}
	}
	a.ok(token, `mutation($in: PostJobInput!) { postJob(input: $in) { job { id } automaticInvitations { `+invitationFields+` } } }`,
		map[string]any{"in": base}, &d)
	return d.PostJob.Job.ID, d.PostJob.AutomaticInvitations
}

var hourlyRange = map[string]any{"contractType": "HOURLY",
	"hourlyRange": map[string]any{"min": map[string]any{"amount": "30"}, "max": map[string]any{"amount": "60"}}}

// TestRecommendedFreelancers shows acceptance 1 on a small hand-built pool:
// the exact order (skills overlap, then rate within budget, then
// availability, then user id), the scores and matched skills, and the
// exclusions: the client themself, a freelancer who blocked the client,
// profiles without a shared skill; the already invited are listed, flagged.
func TestRecommendedFreelancers(t *testing.T) {
	a := newApp(t)
	client := a.tok(hiring.DemoClient)
	ids := a.buildPool(handBuiltPool)
	// The client has a matching profile too: never recommended to themself.
	a.updateProfile(client, map[string]any{"title": "Client", "skills": []string{"hg-alpha", "hg-beta", "hg-gamma"},
		"hourlyRate": map[string]any{"amount": "50"}})
	if err := postgres.New(a.DB).Read().BlockClient(context.Background(), ids["Iv Blocker"], a.userID(hiring.DemoClient), a.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	hourly, autos := a.postMatchJob(client, hourlyRange)
	if len(autos) != 0 {
		t.Fatalf("a job posted without featured sends no automatic invitations: %+v", autos)
	}
	a.invite(client, hourly, gid("User", ids["Lu Invited"]), nil)

	type row struct {
		name    string
		score   float64
		matched string
		fits    bool
		invited bool
	}
	check := func(t *testing.T, got []recommendationJSON, want []row) {
		t.Helper()
		var g []row
		for _, r := range got {
			g = append(g, row{r.Freelancer.Name, r.Score, strings.Join(r.MatchedSkills, ","), r.RateWithinBudget, r.AlreadyInvited})
		}
		if !slices.Equal(g, want) {
			t.Errorf("recommendations:\n got  %v\n want %v", g, want)
		}
	}
	const abg, bg, ag, a1 = "hg-alpha,hg-beta,hg-gamma", "hg-beta,hg-gamma", "hg-alpha,hg-gamma", "hg-alpha"
	t.Run("Hourly", func(t *testing.T) {
		a.sub(t)
		// Within budget for an hourly job: at most the top of the range
		// (60); below the range counts (Di at 20); no rate does not (Fi).
		check(t, a.recommended(client, hourly, 20), []row{
			{"Ada All", 1, abg, true, false},          // 3 skills, fits, available
			{"Lu Invited", 1, abg, true, true},        // the same: the lower id first
			{"Cy Parttime", 0.9667, abg, true, false}, // (3 + .5 + .125) / 3.75
			{"Bo Pricey", 0.8667, abg, false, false},  // 80 is over budget: (3 + .25) / 3.75
			{"Di Two", 0.7333, bg, true, false},       // skills listed in the job's order
			{"Ed Away", 0.6667, ag, true, false},      // 60 is within budget, unavailable
			{"Gu Tie", 0.4667, a1, true, false},       // a tie with Ho...
			{"Ho Tie", 0.4667, a1, true, false},       // ...broken by user id
			{"Fi Norate", 0.3333, a1, false, false},   // no rate: not within budget
		})
		check(t, a.recommended(client, hourly, 3), []row{
			{"Ada All", 1, abg, true, false}, {"Lu Invited", 1, abg, true, true}, {"Cy Parttime", 0.9667, abg, true, false},
		})
		if got := a.recommended(client, hourly, 0); len(got) != 0 {
			t.Errorf("first: 0 lists nobody: %v", got)
		}
	})
	t.Run("Fixed", func(t *testing.T) {
		a.sub(t)
		// For a fixed-price job every profile counts as within budget.
		fixed, _ := a.postMatchJob(client, map[string]any{"contractType": "FIXED", "budget": map[string]any{"amount": "900"}})
		check(t, a.recommended(client, fixed, 20), []row{
			{"Ada All", 1, abg, true, false},
			{"Bo Pricey", 1, abg, true, false},
			{"Lu Invited", 1, abg, true, false}, // invited to the other job only
			{"Cy Parttime", 0.9667, abg, true, false},
			{"Di Two", 0.7333, bg, true, false},
			{"Ed Away", 0.6667, ag, true, false},
			{"Fi Norate", 0.4667, a1, true, false},
			{"Gu Tie", 0.4667, a1, true, false},
			{"Ho Tie", 0.4667, a1, true, false},
		})
	})
	t.Run("NoSkills", func(t *testing.T) {
		a.sub(t)
		none, _ := a.postMatchJob(client, map[string]any{"skills": []string{}, "contractType": "FIXED", "budget": map[string]any{"amount": "900"}})
		if got := a.recommended(client, none, 20); len(got) != 0 {
			t.Errorf("a job without skills matches nobody: %v", got)
		}
	})
	t.Run("FeatureInvitesTheRanking", func(t *testing.T) {
		a.sub(t)
		// Featuring sends AUTOMATIC invitations down the same ranking,
		// skipping the invited (Lu): the pool has 8 candidates, fewer than
		// the configured 10.
		res := a.featureJob(client, hourly)
		var got []string
		for _, inv := range res.AutomaticInvitations {
			got = append(got, fmt.Sprintf("%s %.4f %s", inv.Freelancer.Name, *inv.MatchScore, strings.Join(inv.MatchedSkills, ",")))
			if inv.Origin != "AUTOMATIC" || inv.Status != "PENDING" || inv.Message != "" {
				t.Errorf("invitation %+v", inv)
			}
		}
		want := []string{"Ada All 1.0000 " + abg, "Cy Parttime 0.9667 " + abg, "Bo Pricey 0.8667 " + abg, "Di Two 0.7333 " + bg,
			"Ed Away 0.6667 " + ag, "Gu Tie 0.4667 " + a1, "Ho Tie 0.4667 " + a1, "Fi Norate 0.3333 " + a1}
		if !slices.Equal(got, want) {
			t.Errorf("automatic invitations:\n got  %v\n want %v", got, want)
		}
		recs := a.recommended(client, hourly, 20)
		if len(recs) != 9 || slices.ContainsFunc(recs, func(r recommendationJSON) bool { return !r.AlreadyInvited }) {
			t.Errorf("after featuring, every candidate is flagged invited: %+v", recs)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		a.sub(t)
		a.fails("FORBIDDEN", a.tok(hiring.DemoFreelancer), recommendedQuery, map[string]any{"job": hourly, "first": 5})
	})
	t.Run("Errors", func(t *testing.T) {
		a.sub(t)
		a.fails("NOT_FOUND", client, recommendedQuery, map[string]any{"job": gid("Job", 999999)})
		a.fails("VALIDATION_FAILED", client, recommendedQuery, map[string]any{"job": gid("Invitation", 1)})
		a.fails("VALIDATION_FAILED", client, recommendedQuery, map[string]any{"job": hourly, "first": 101})
		a.fails("VALIDATION_FAILED", client, recommendedQuery, map[string]any{"job": hourly, "first": -1})
		a.fails("UNAUTHENTICATED", "", recommendedQuery, map[string]any{"job": hourly})
	})
}

type statsJSON struct {
	Received           int
	Responded          int
	ResponseRate       *float64
	MedianResponseTime *int
	Badge              *string
}

const statsFields = `received responded responseRate medianResponseTime badge`

// stats reads a user's invitation statistics as viewer, through node(id:).
func (a *app) stats(viewer string, userID int64) statsJSON {
	a.t.Helper()
	var d struct {
		Node struct{ InvitationStats statsJSON }
	}
	a.ok(viewer, `query($id: ID!) { node(id: $id) { ... on User { invitationStats { `+statsFields+` } } } }`,
		map[string]any{"id": gid("User", userID)}, &d)
	return d.Node.InvitationStats
}

func (s statsJSON) String() string {
	f := func(p any) string {
		switch v := p.(type) {
		case *float64:
			if v != nil {
				return fmt.Sprintf("%.4f", *v)
			}
		case *int:
			if v != nil {
				return fmt.Sprint(*v)
			}
		case *string:
			if v != nil {
				return *v
			}
		}
		return "null"
	}
	return fmt.Sprintf("received=%d responded=%d rate=%s median=%s badge=%s", s.Received, s.Responded,
		f(s.ResponseRate), f(s.MedianResponseTime), f(s.Badge))
}

// TestInvitationStats shows acceptance 3 with the injected clock: the stats
// and badge for no data, all answered within 24 hours, a mix, ignored
// invitations (not responses) and invitations withdrawn within 24 hours (not
// counted at all).
func TestInvitationStats(t *testing.T) {
	a := newApp(t)
	client := a.tok(hiring.DemoClient)
	decline := a.reasonID(client, "TOO_BUSY")
	const h = time.Hour

	// Each scenario is one generated freelancer of the demo pool. Their
	// invitations (each to its own job, no Connects needed) are all sent at
	// the start; then the clock moves and the actions happen in time order.
	type act struct {
		after  time.Duration // since the invitations were sent
		inv    int           // which of the scenario's invitations
		action string        // decline, accept, ignore or withdraw
	}
	scenarios := []struct {
		name    string
		invites int
		acts    []act
		want    string
	}{
		{"NoData", 0, nil, "received=0 responded=0 rate=null median=null badge=null"},
		{"AllWithin24h", 3, []act{{1 * h, 0, "decline"}, {2 * h, 1, "accept"}, {5 * h, 2, "decline"}},
			"received=3 responded=3 rate=1.0000 median=7200 badge=WITHIN_24_HOURS"},
		{"Mixed", 4, []act{{2 * h, 0, "decline"}, {30 * h, 1, "accept"}, {100 * h, 2, "decline"}}, // the 4th is left pending
			"received=4 responded=3 rate=0.7500 median=108000 badge=WITHIN_3_DAYS"},
		{"EvenMedian", 4, []act{{1 * h, 0, "decline"}, {3 * h, 1, "decline"}, {80 * h, 2, "decline"}, {100 * h, 3, "accept"}},
			"received=4 responded=4 rate=1.0000 median=149400 badge=WITHIN_3_DAYS"}, // (3h + 80h) / 2
		{"Ignored", 3, []act{{1 * h, 0, "decline"}, {2 * h, 1, "ignore"}, {3 * h, 2, "ignore"}},
			"received=3 responded=1 rate=0.3333 median=3600 badge=null"},
		// Ignored first, answered later: the response time runs from receipt.
		{"IgnoredThenAnswered", 4, []act{{1 * h, 0, "ignore"}, {2 * h, 1, "decline"}, {3 * h, 2, "decline"}, {50 * h, 0, "decline"}, {60 * h, 3, "ignore"}},
			"received=4 responded=3 rate=0.7500 median=10800 badge=WITHIN_24_HOURS"},
		// Withdrawn within 24 hours (the boundary included): not counted at all.
		{"WithdrawnWithin24h", 5, []act{{2 * h, 0, "withdraw"}, {24 * h, 1, "withdraw"}, {80 * h, 2, "decline"}, {90 * h, 3, "decline"}, {100 * h, 4, "decline"}},
			"received=3 responded=3 rate=1.0000 median=324000 badge=OVER_3_DAYS"},
		// Withdrawn later: received, not a response.
		{"WithdrawnLater", 3, []act{{1 * h, 0, "decline"}, {2 * h, 1, "decline"}, {48 * h, 2, "withdraw"}},
			"received=3 responded=2 rate=0.6667 median=5400 badge=null"},
	}
	type pending struct {
		at     time.Time
		inv    string
		who    string
		action string
	}
	var todo []pending
	start := a.Clock.Now()
	for i, sc := range scenarios {
		email := hiring.PoolEmail(i + 1)
		invs := make([]string, sc.invites)
		for j := range invs {
			invs[j] = a.inviteToNewJob(client, fmt.Sprintf("%s job %d", sc.name, j), gid("User", a.userID(email)))
		}
		for _, x := range sc.acts {
			todo = append(todo, pending{start.Add(x.after), invs[x.inv], email, x.action})
		}
	}
	slices.SortStableFunc(todo, func(x, y pending) int { return x.at.Compare(y.at) })
	for _, p := range todo {
		if d := p.at.Sub(a.Clock.Now()); d > 0 {
			a.Clock.Advance(d)
		}
		fr := a.tok(p.who)
		switch p.action {
		case "decline":
			a.ok(fr, declineMutation, map[string]any{"in": map[string]any{"invitationId": p.inv, "reasonId": decline}}, nil)
		case "accept":
			a.ok(fr, acceptMutation, map[string]any{"in": map[string]any{"invitationId": p.inv, "coverLetter": "Happy to help."}}, nil)
		case "ignore":
			a.ok(fr, ignoreMutation, map[string]any{"id": p.inv}, nil)
		case "withdraw":
			a.ok(client, `mutation($id: ID!) { withdrawInvitation(input: {invitationId: $id}) { invitation { id } } }`, map[string]any{"id": p.inv}, nil)
		}
	}
	for i, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			email := hiring.PoolEmail(i + 1)
			id := a.userID(email)
			// Public: the same for the user, a client and another freelancer.
			got := a.stats(a.tok(email), id).String()
			if got != sc.want {
				t.Errorf("got  %s\nwant %s", got, sc.want)
			}
			for _, viewer := range []string{client, a.tok(hiring.DemoFreelancer)} {
				if other := a.stats(viewer, id).String(); other != got {
					t.Errorf("seen by another user: %s", other)
				}
			}
		})
	}
	t.Run("Viewer", func(t *testing.T) {
		a.sub(t)
		var d struct {
			Viewer struct {
				User struct{ InvitationStats statsJSON }
			}
		}
		a.ok(a.tok(hiring.DemoFreelancer), `{ viewer { user { invitationStats { `+statsFields+` } } } }`, nil, &d)
		// The demo freelancer's three pending invitations: received, no response yet.
		if got := d.Viewer.User.InvitationStats.String(); got != "received=3 responded=0 rate=0.0000 median=null badge=null" {
			t.Errorf("demo freelancer: %s", got)
		}
	})
}

// TestInvitationStatsStatements shows that invitation statistics on a list
// are loaded in one batch: a job's invitations to 50 freelancers, each with
// their stats, cost as many statements as one (see TestListStatementCounts
// for the method), and so do 50 recommendations.
func TestInvitationStatsStatements(t *testing.T) {
	s := newStatementApp(t)
	ctx := context.Background()
	setup := func(n int) (client int64, job int64) {
		s.users++
		err := postgres.New(s.db).Transact(ctx, func(c *postgres.Conn) error {
			cl, err := c.CreateUser(ctx, fmt.Sprintf("stats-client%d@statements.test", s.users), "Stats Client", "x", s.now)
			if err != nil {
				return err
			}
			client = cl.ID
			skill := fmt.Sprintf("stats-skill-%d", s.users)
			j, err := c.CreateJob(ctx, cl.ID, &market.NewJob{Title: "Stats job", Description: "Work", Skills: []string{skill},
				ContractType: market.ContractFixed, Budget: ptrMoney(market.USD(50000)), InterviewMode: market.InterviewCoverLetter}, s.now)
			if err != nil {
				return err
			}
			job = j.ID
			for i := range n {
				fr, err := c.CreateUser(ctx, fmt.Sprintf("stats-fr%d-%d@statements.test", s.users, i), "Stats Freelancer", "x", s.now)
				if err != nil {
					return err
				}
				if err := c.UpsertProfile(ctx, &market.FreelancerProfile{UserID: fr.ID, Title: "Engineer", Skills: []string{skill},
					Availability: market.AvailabilityAvailable, UpdatedAt: s.now}); err != nil {
					return err
				}
				inv, err := c.CreateInvitation(ctx, &market.Invitation{JobID: j.ID, FreelancerID: fr.ID, ClientID: cl.ID,
					Origin: market.OriginDirect, CreatedAt: s.now.Add(-time.Hour)})
				if err != nil {
					return err
				}
				inv.Decline(s.now, 1, "")
				if err := c.UpdateInvitation(ctx, inv); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return client, job
	}
	for _, tc := range []struct {
		name, query string
		edges       func(map[string]any) int
	}{
		{"jobInvitations", `query { node(id: "%s") { ... on Job { invitations(first: 100) { edges { node {
				freelancer { name invitationStats { received responded responseRate medianResponseTime badge } } } } } } } }`,
			func(d map[string]any) int {
				node, _ := d["node"].(map[string]any)
				inv, _ := node["invitations"].(map[string]any)
				e, _ := inv["edges"].([]any)
				return len(e)
			}},
		{"recommendations", `query { recommendedFreelancers(jobId: "%s", first: 100) {
				score freelancer { name invitationStats { received badge } } } }`,
			func(d map[string]any) int { r, _ := d["recommendedFreelancers"].([]any); return len(r) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.t = t
			var one, fifty []int64
			run := func(n int, client, job int64) int64 {
				c, data := s.statements(client, fmt.Sprintf(tc.query, gid("Job", job)))
				if got := tc.edges(data); got != n {
					t.Fatalf("want %d items, got %d", n, got)
				}
				return c
			}
			c1, j1 := setup(1)
			for range statementRuns {
				one = append(one, run(1, c1, j1))
			}
			c50, j50 := setup(50)
			for range 2 * statementRuns {
				c := run(50, c50, j50)
				fifty = append(fifty, c)
				if slices.Contains(one, c) {
					t.Logf("%d statements for 50 items, as for 1 (runs: %v for 1 item, %v for 50)", c, one, fifty)
					return
				}
			}
			t.Errorf("no run with 50 items cost what a run with 1 item did: %v for 1 item, %v for 50", one, fifty)
		})
	}
}

// sub points the app's helpers at a subtest while it runs.
func (a *app) sub(t *testing.T) {
	parent := a.t
	a.t = t
	t.Cleanup(func() { a.t = parent })
}

func ptrMoney(m market.Money) *market.Money { return &m }

// inviteToNewJob posts a fixed-price job that costs no Connects to apply
// to, invites the freelancer directly, and returns the invitation's id.
func (a *app) inviteToNewJob(client, title, freelancerID string) string {
	a.t.Helper()
	var job struct {
		PostJob struct{ Job struct{ ID string } }
	}
	a.ok(client, `mutation($in: PostJobInput!) { postJob(input: $in) { job { id } } }`, map[string]any{"in": map[string]any{
		"title": title, "description": "A small piece of work.", "contractType": "FIXED",
		"budget": map[string]any{"amount": "300.00"}, "connectsRequired": 0,
	}}, &job)
	var inv struct {
		InviteFreelancer struct{ Invitation struct{ ID string } }
	}
	a.ok(client, `mutation($j: ID!, $f: ID!) { inviteFreelancer(input: {jobId: $j, freelancerId: $f}) { invitation { id } } }`,
		map[string]any{"j": job.PostJob.Job.ID, "f": freelancerID}, &inv)
	return inv.InviteFreelancer.Invitation.ID
}
