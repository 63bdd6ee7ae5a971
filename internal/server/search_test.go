package server_test

import (
	"fmt"
	"strings"
	"testing"
)

const searchJobsQuery = `query($q: String, $s: [String!], $t: ContractType, $n: Int, $after: String) {
  searchJobs(query: $q, skills: $s, contractType: $t, first: $n, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor rank node { id title } }
  }
}`

type searchPage struct {
	SearchJobs struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   string
		}
		Edges []struct {
			Cursor string
			Rank   float64
			Node   struct{ ID, Title string }
		}
	}
}

// TestSearchJobsRankedAndPaged: open jobs only, best match first (a match
// in the title outranks one in the description), filters by skills and
// contract type, and pages of any size put together give the one-page
// ranking exactly, ties included.
func TestSearchJobsRankedAndPaged(t *testing.T) {
	a := startApp(t, false)
	alice := a.signUp("alice@example.com", "Alice", "CLIENT")
	olga := a.signUp("olga@example.com", "Olga", "FREELANCER")
	titleMatch := a.postFixedJob(alice, "Kubernetes operator in Go", "Write an operator.", 2, "go", "kubernetes")
	descMatch := a.postFixedJob(alice, "Backend work", "Some Kubernetes experience helps.", 2, "go")
	for i := range 5 { // equal ranks: ties broken by id
		a.postFixedJob(alice, fmt.Sprintf("Kubernetes cluster upgrade %d", i), "Upgrade a cluster.", 2, "kubernetes")
	}
	closed := a.postFixedJob(alice, "Kubernetes migration (closed)", "Closed already.", 2)
	a.ok(alice.Token, `mutation($j: ID!) { closeJob(input: {jobId: $j, result: CANCELLED}) { job { id } } }`, map[string]any{"j": closed}, nil)
	a.postFixedJob(alice, "Logo design", "A logo for a bakery.", 1, "design")

	var all searchPage
	a.ok(olga.Token, searchJobsQuery, map[string]any{"q": "kubernetes", "n": 100}, &all)
	got := all.SearchJobs
	if got.TotalCount != 7 || len(got.Edges) != 7 {
		t.Fatalf("%d results (total %d), want the 7 open Kubernetes jobs: %+v", len(got.Edges), got.TotalCount, got.Edges)
	}
	for i := 1; i < len(got.Edges); i++ {
		if got.Edges[i].Rank > got.Edges[i-1].Rank {
			t.Errorf("not ranked: %v after %v", got.Edges[i].Rank, got.Edges[i-1].Rank)
		}
	}
	if got.Edges[6].Node.ID != descMatch || got.Edges[5].Node.ID != titleMatch || got.Edges[5].Rank != got.Edges[0].Rank || got.Edges[6].Rank >= got.Edges[5].Rank {
		t.Errorf("ranking %+v: want the six title matches first (equal ranks, newest first) and the description match last", got.Edges)
	}
	for _, size := range []int{1, 2, 3} {
		var ids []string
		after := ""
		for {
			var p searchPage
			vars := map[string]any{"q": "kubernetes", "n": size}
			if after != "" {
				vars["after"] = after
			}
			a.ok(olga.Token, searchJobsQuery, vars, &p)
			for _, e := range p.SearchJobs.Edges {
				ids = append(ids, e.Node.ID)
			}
			if !p.SearchJobs.PageInfo.HasNextPage {
				break
			}
			after = p.SearchJobs.PageInfo.EndCursor
		}
		want := ""
		for _, e := range got.Edges {
			want += e.Node.ID + " "
		}
		if fmt.Sprint(ids) != fmt.Sprint(strings.Fields(want)) {
			t.Errorf("pages of %d: %v, want %v", size, ids, want)
		}
	}
	var p searchPage
	a.ok(olga.Token, searchJobsQuery, map[string]any{"q": "kubernetes", "s": []string{"Go"}}, &p)
	if p.SearchJobs.TotalCount != 2 {
		t.Errorf("with skill go: %d results", p.SearchJobs.TotalCount)
	}
	a.ok(olga.Token, searchJobsQuery, map[string]any{"t": "HOURLY"}, &p)
	if p.SearchJobs.TotalCount != 0 {
		t.Errorf("hourly jobs: %d", p.SearchJobs.TotalCount)
	}
	a.ok(olga.Token, searchJobsQuery, map[string]any{}, &p)
	if p.SearchJobs.TotalCount != 8 {
		t.Errorf("no text: %d results, want every open job", p.SearchJobs.TotalCount)
	}
	for _, vars := range []map[string]any{
		{"after": "bm90LWEtY3Vyc29y"}, {"n": 101}, {"n": -1}, {"q": string(make([]rune, 201))}, {"s": []string{" "}},
	} {
		a.fails("VALIDATION_FAILED", olga.Token, searchJobsQuery, vars)
	}
	a.fails("UNAUTHENTICATED", "", searchJobsQuery, nil)

	var fr struct {
		SearchFreelancers struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
	}
	a.profile(olga, "Kubernetes and Go engineer", "Operators and controllers.", "go", "kubernetes")
	a.ok(alice.Token, `{ searchFreelancers(query: "kubernetes operators", skills: ["go"]) { totalCount edges { node { id } } } }`, nil, &fr)
	if fr.SearchFreelancers.TotalCount != 1 || fr.SearchFreelancers.Edges[0].Node.ID != olga.ID {
		t.Errorf("searchFreelancers: %+v", fr.SearchFreelancers)
	}
	a.fails("VALIDATION_FAILED", alice.Token, `{ searchFreelancers(after: "eA") { totalCount } }`, nil)
}

// TestSubmitProposalRules: applying without an invitation follows the rules
// of accepting one (content, contact details, Connects, agency
// submissions), once per job, with clear codes and nothing changed on
// refusal.
func TestSubmitProposalRules(t *testing.T) {
	f := newAgencyFixture(t)
	a := f.a
	job := a.postFixedJob(f.alice, "Thermostat firmware", "Embedded Rust.", 4, "rust")
	var instant struct {
		PostJob struct {
			Job struct {
				ID        string
				Questions []struct{ ID string }
			}
		}
	}
	a.ok(f.alice.Token, `mutation { postJob(input: {title: "Quick audit", description: "Security audit.", contractType: FIXED, budget: {amount: "300"},
		connectsRequired: 2, interviewMode: INSTANT_INTERVIEW, questions: ["Which tools do you use?"]}) { job { id questions { id } } } }`, nil, &instant)
	invited := a.postFixedJob(f.alice, "Invited only", "A job with an invitation.", 1)
	a.ok(f.alice.Token, `mutation($j: ID!, $f: ID!) { inviteFreelancer(input: {jobId: $j, freelancerId: $f}) { invitation { id } } }`,
		map[string]any{"j": invited, "f": f.xavier.ID}, nil)
	closed := a.postFixedJob(f.alice, "Closed job", "Closed.", 1)
	a.ok(f.alice.Token, `mutation($j: ID!) { closeJob(input: {jobId: $j, result: NO_HIRE}) { job { id } } }`, map[string]any{"j": closed}, nil)

	before := a.state()
	for _, c := range []struct {
		name, code, token string
		in                map[string]any
	}{
		{"no cover letter", "VALIDATION_FAILED", f.xavier.Token, map[string]any{"jobId": job}},
		{"instant without answers", "VALIDATION_FAILED", f.xavier.Token, map[string]any{"jobId": instant.PostJob.Job.ID}},
		{"email in cover letter", "CONTACT_INFO_NOT_ALLOWED", f.xavier.Token, map[string]any{"jobId": job, "coverLetter": "Write to me at x@gmail.com"}},
		{"skype in message", "CONTACT_INFO_NOT_ALLOWED", f.xavier.Token, map[string]any{"jobId": job, "coverLetter": "Hi", "messageToClient": "skype: xavier.dev"}},
		{"hourly terms on a fixed job", "VALIDATION_FAILED", f.xavier.Token, map[string]any{"jobId": job, "coverLetter": "Hi", "terms": map[string]any{"hourlyRate": map[string]any{"amount": "50.00"}}}},
		{"client applies", "FORBIDDEN", f.alice.Token, map[string]any{"jobId": job, "coverLetter": "Hi"}},
		{"closed job", "INVALID_STATE", f.xavier.Token, map[string]any{"jobId": closed, "coverLetter": "Hi"}},
		{"pending invitation", "CONFLICT", f.xavier.Token, map[string]any{"jobId": invited, "coverLetter": "Hi"}},
		{"unknown job", "NOT_FOUND", f.xavier.Token, map[string]any{"jobId": "Sm9iOjk5OTk5", "coverLetter": "Hi"}},
		{"bad job id", "VALIDATION_FAILED", f.xavier.Token, map[string]any{"jobId": "nope", "coverLetter": "Hi"}},
		{"for another without agency", "FORBIDDEN", f.mark.Token, map[string]any{"jobId": job, "coverLetter": "Hi", "freelancerId": f.mia.ID}},
		{"member for another", "FORBIDDEN", f.mia.Token, map[string]any{"jobId": job, "coverLetter": "Hi", "freelancerId": f.mark.ID, "agencyId": f.agency}},
		{"outsider for agency", "NOT_FOUND", f.xavier.Token, map[string]any{"jobId": job, "coverLetter": "Hi", "agencyId": f.agency}},
		{"agency without Connects", "INSUFFICIENT_CONNECTS", f.mark.Token, map[string]any{"jobId": job, "coverLetter": "Hi", "freelancerId": f.mia.ID, "agencyId": f.agency}},
		{"anonymous", "UNAUTHENTICATED", "", map[string]any{"jobId": job, "coverLetter": "Hi"}},
	} {
		if r := a.post(c.token, submitMutation, map[string]any{"in": c.in}); r.Code() != c.code {
			t.Errorf("%s: %q %+v, want %s", c.name, r.Code(), r.Errors, c.code)
		}
	}
	if a.state() != before {
		t.Fatal("a refused submission changed the database")
	}

	// The business manager submits for Mia on the agency's Connects.
	a.ok(f.mark.Token, buyMutation, map[string]any{"in": map[string]any{"connects": 10, "idempotencyKey": "agency-0001", "agencyId": f.agency}}, nil)
	var sub struct {
		SubmitProposal struct {
			Proposal struct {
				Agency     struct{ ID string }
				Freelancer struct{ ID string }
			}
			ConnectsBalance int
		}
	}
	a.ok(f.mark.Token, submitMutation, map[string]any{"in": map[string]any{"jobId": job, "coverLetter": "Mia has built three thermostats.", "freelancerId": f.mia.ID, "agencyId": f.agency}}, &sub)
	if sub.SubmitProposal.Proposal.Agency.ID != f.agency || sub.SubmitProposal.Proposal.Freelancer.ID != f.mia.ID || sub.SubmitProposal.ConnectsBalance != 6 || a.connects(f.mia, "") != 10 {
		t.Errorf("agency submission: %+v", sub.SubmitProposal)
	}
	a.fails("CONFLICT", f.mia.Token, submitMutation, map[string]any{"in": map[string]any{"jobId": job, "coverLetter": "Again"}})
	var ans = []map[string]any{{"questionId": instant.PostJob.Job.Questions[0].ID, "answer": "Burp and my own scripts."}}
	a.ok(f.xavier.Token, submitMutation, map[string]any{"in": map[string]any{"jobId": instant.PostJob.Job.ID, "answers": ans}}, nil)
}
