package server_test

import (
	"github.com/hiregraph/hiregraph/internal/wstest"

	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// Issue 5: featured jobs send AUTOMATIC invitations to the best matching
// freelancers (R22), once.

const invitationFields = `id origin status message matchScore matchedSkills createdAt freelancer { id name }`

type invitationJSON struct {
	ID            string
	Origin        string
	Status        string
	Message       string
	MatchScore    *float64
	MatchedSkills []string
	CreatedAt     string
	Freelancer    struct{ ID, Name string }
}

const featureJobMutation = `mutation($id: ID!) { featureJob(input: {jobId: $id}) {
  job { id featured status lastActivityAt } automaticInvitations { ` + invitationFields + ` } } }`

type featureJSON struct {
	Job struct {
		ID             string
		Featured       bool
		Status         string
		LastActivityAt string
	}
	AutomaticInvitations []invitationJSON
}

func (a *app) featureJob(token, jobID string) featureJSON {
	a.t.Helper()
	var d struct{ FeatureJob featureJSON }
	a.ok(token, featureJobMutation, map[string]any{"id": jobID}, &d)
	return d.FeatureJob
}

// automaticState lists a job's AUTOMATIC invitations and their freelancers'
// INVITATION_RECEIVED notifications, and the job's featured flag.
func (a *app) automaticState(jobID string) (invitations, notifications int, featured bool) {
	a.t.Helper()
	id := dbID(a.t, jobID)
	invitations = a.count(`SELECT count(*) FROM invitations WHERE job_id = $1 AND origin = 'AUTOMATIC'`, id)
	notifications = a.count(`SELECT count(*) FROM notifications n JOIN invitations i ON i.id = n.subject_id AND n.subject_type = 'INVITATION'
		WHERE i.job_id = $1 AND i.origin = 'AUTOMATIC' AND n.kind = 'INVITATION_RECEIVED' AND n.user_id = i.freelancer_id`, id)
	if err := a.DB.Get(&featured, `SELECT featured FROM jobs WHERE id = $1`, id); err != nil {
		a.t.Fatal(err)
	}
	return invitations, notifications, featured
}

// TestFeatureJob shows acceptance 2 on the demo data: featuring the demo
// React job invites exactly the configured 10 (the default) best matches of
// the generated pool, each with its score and matched skills and notified;
// featuring it again adds nobody.
func TestFeatureJob(t *testing.T) {
	a := newApp(t)
	client := a.tok(hiring.DemoClient)
	job := a.jobIDByTitle(client, "React dashboard")

	// What featuring should pick: the best 10 not invited yet.
	var want []recommendationJSON
	for _, r := range a.recommended(client, job, 100) {
		if !r.AlreadyInvited && len(want) < 10 {
			want = append(want, r)
		}
	}
	// The best match listens to their invitation stream (they have none yet).
	var topEmail string
	if err := a.DB.Get(&topEmail, `SELECT email FROM users WHERE id = $1`, dbID(t, want[0].Freelancer.ID)); err != nil {
		t.Fatal(err)
	}
	ws := a.dial(wstest.TransportWS, a.tok(topEmail)).Ack()
	ws.Subscribe("inv", subInvitations, nil)
	a.waitSubscribed(1)

	a.Clock.Advance(time.Hour)
	res := a.featureJob(client, job)
	if !res.Job.Featured || res.Job.Status != "OPEN" || res.Job.LastActivityAt != "2026-11-02T10:00:00Z" {
		t.Errorf("job after featuring: %+v", res.Job)
	}
	if len(res.AutomaticInvitations) != 10 {
		t.Fatalf("want 10 automatic invitations, got %d", len(res.AutomaticInvitations))
	}
	for i, inv := range res.AutomaticInvitations {
		w := want[i]
		if inv.Freelancer.ID != w.Freelancer.ID || inv.MatchScore == nil || *inv.MatchScore != w.Score ||
			!slices.Equal(inv.MatchedSkills, w.MatchedSkills) || inv.Origin != "AUTOMATIC" || inv.Status != "PENDING" ||
			inv.CreatedAt != "2026-11-02T10:00:00Z" {
			t.Errorf("invitation %d: %+v, want the recommendation %+v", i, inv, w)
		}
		if i > 0 && *inv.MatchScore > *res.AutomaticInvitations[i-1].MatchScore {
			t.Errorf("invitation %d scores higher than the one before", i)
		}
	}
	if invs, notes, featured := a.automaticState(job); invs != 10 || notes != 10 || !featured {
		t.Errorf("stored: %d automatic invitations, %d notifications, featured %v", invs, notes, featured)
	}
	// The demo freelancer, invited to this job directly, is not invited again.
	if n := a.count(`SELECT count(*) FROM invitations WHERE job_id = $1 AND freelancer_id = $2`, dbID(t, job), a.userID(hiring.DemoFreelancer)); n != 1 {
		t.Errorf("the demo freelancer holds %d invitations to the job", n)
	}

	t.Run("Live", func(t *testing.T) {
		a.sub(t)
		e := ws.Event(5 * time.Second)
		if id := str(path(e.Data, "invitationReceived", "invitation", "id")); e.ID != "inv" || id != res.AutomaticInvitations[0].ID {
			t.Errorf("invitationReceived: %+v", e)
		}
	})

	t.Run("TheFreelancerSeesIt", func(t *testing.T) {
		a.sub(t)
		// An invited freelancer of the generated pool finds the invitation
		// and its notification (the bell; the live stream is fed by the
		// same notifyInvited as direct invitations).
		inv := res.AutomaticInvitations[0]
		var email string
		if err := a.DB.Get(&email, `SELECT email FROM users WHERE id = $1`, dbID(t, inv.Freelancer.ID)); err != nil {
			t.Fatal(err)
		}
		fr := a.tok(email)
		l := a.invitations(fr, map[string]any{"origin": "AUTOMATIC"})
		if l.Invitations.TotalCount != 1 || l.Invitations.Edges[0].Node.ID != inv.ID || *l.Invitations.Edges[0].Node.MatchScore != *inv.MatchScore {
			t.Errorf("the freelancer's automatic invitations: %+v", l.Invitations)
		}
		f := a.feed(fr, nil)
		if f.Notifications.UnreadCount != 1 || f.nodes()[0].Kind != "INVITATION_RECEIVED" || f.nodes()[0].Actor != nil {
			t.Errorf("the freelancer's bell: %+v", f.Notifications)
		}
	})

	t.Run("Again", func(t *testing.T) {
		a.sub(t)
		again := a.featureJob(client, job)
		if len(again.AutomaticInvitations) != 0 || !again.Job.Featured {
			t.Errorf("featuring again sent %d invitations", len(again.AutomaticInvitations))
		}
		if invs, notes, _ := a.automaticState(job); invs != 10 || notes != 10 {
			t.Errorf("after featuring again: %d automatic invitations, %d notifications", invs, notes)
		}
	})
}

// TestFeatureJobConcurrent shows acceptance 2's race: the same job featured
// by several requests at once gets its invitations once.
func TestFeatureJobConcurrent(t *testing.T) {
	a := newApp(t)
	client := a.tok(hiring.DemoClient)
	job := a.jobIDByTitle(client, "Landing page polish")
	const n = 4
	results := make([]featureJSON, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := a.post(client, featureJobMutation, map[string]any{"id": job})
			if len(r.Errors) > 0 {
				t.Errorf("featuring %d: %+v", i, r.Errors)
				return
			}
			var d struct{ FeatureJob featureJSON }
			if err := json.Unmarshal(r.Data, &d); err != nil {
				t.Errorf("featuring %d: %v", i, err)
			}
			results[i] = d.FeatureJob
		})
	}
	wg.Wait()
	var sizes []int
	for _, r := range results {
		sizes = append(sizes, len(r.AutomaticInvitations))
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{0, 0, 0, 10}) {
		t.Errorf("invitations sent per request: %v, want one request sending 10", sizes)
	}
	if invs, notes, featured := a.automaticState(job); invs != 10 || notes != 10 || !featured {
		t.Errorf("stored: %d automatic invitations, %d notifications, featured %v", invs, notes, featured)
	}
	if n := a.count(`SELECT count(*) FROM (SELECT freelancer_id FROM invitations WHERE job_id = $1 GROUP BY freelancer_id HAVING count(*) > 1) d`, dbID(t, job)); n != 0 {
		t.Errorf("%d freelancers invited twice", n)
	}
}

// TestPostJobFeatured: posting a featured job sends its automatic
// invitations in the same step; a concurrent featureJob adds nobody.
func TestPostJobFeatured(t *testing.T) {
	a := newApp(t)
	client := a.tok(hiring.DemoClient)
	job, autos := a.postMatchJob(client, map[string]any{"skills": []string{"python", "Django", "postgresql"}, "featured": true,
		"contractType": "HOURLY", "hourlyRange": map[string]any{"min": map[string]any{"amount": "25"}, "max": map[string]any{"amount": "70"}}})
	if len(autos) != 10 {
		t.Fatalf("want 10 automatic invitations, got %d", len(autos))
	}
	recs := a.recommended(client, job, 10)
	for i, inv := range autos {
		if recs[i].Freelancer.ID != inv.Freelancer.ID || !recs[i].AlreadyInvited || recs[i].Score != *inv.MatchScore {
			t.Errorf("%d: invitation %+v, recommendation %+v", i, inv, recs[i])
		}
		if !slices.Contains(inv.MatchedSkills, "python") && !slices.Contains(inv.MatchedSkills, "django") && !slices.Contains(inv.MatchedSkills, "postgresql") {
			t.Errorf("%d: matched skills %v", i, inv.MatchedSkills)
		}
	}
	if res := a.featureJob(client, job); len(res.AutomaticInvitations) != 0 {
		t.Errorf("featuring a job posted featured sent %d more", len(res.AutomaticInvitations))
	}
	if invs, notes, featured := a.automaticState(job); invs != 10 || notes != 10 || !featured {
		t.Errorf("stored: %d automatic invitations, %d notifications, featured %v", invs, notes, featured)
	}
}

func TestFeatureJobErrors(t *testing.T) {
	a := newApp(t)
	client := a.tok(hiring.DemoClient)
	job := a.jobIDByTitle(client, "Data pipeline")
	before := a.hiringState()
	a.fails("FORBIDDEN", a.tok(hiring.DemoFreelancer), featureJobMutation, map[string]any{"id": job})
	a.fails("NOT_FOUND", client, featureJobMutation, map[string]any{"id": gid("Job", 999999)})
	a.fails("VALIDATION_FAILED", client, featureJobMutation, map[string]any{"id": gid("Proposal", 1)})
	a.fails("UNAUTHENTICATED", "", featureJobMutation, map[string]any{"id": job})
	a.ok(client, `mutation($id: ID!) { closeJob(input: {jobId: $id, result: NO_HIRE}) { job { status } } }`, map[string]any{"id": job}, nil)
	closed := a.hiringState()
	if closed == before {
		t.Fatal("closing changed nothing?")
	}
	a.fails("INVALID_STATE", client, featureJobMutation, map[string]any{"id": job})
	if got := a.hiringState(); got != closed {
		t.Errorf("a refused featureJob changed something:\n%s\n%s", closed, got)
	}
	if invs, _, featured := a.automaticState(job); invs != 0 || featured {
		t.Errorf("closed job: %d automatic invitations, featured %v", invs, featured)
	}
}
