package market

import (
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func ptime(t time.Time) *time.Time { return &t }

// TestR11ContentEditWindow: the cover letter, answers and attachments are
// editable for 6 hours after submission or until the client's first view,
// whichever comes first.
func TestR11ContentEditWindow(t *testing.T) {
	cases := []struct {
		name    string
		status  ProposalStatus
		viewed  *time.Time
		at      time.Duration // after submission
		code    Code          // "" = editable
		mention string
	}{
		{"R11 just submitted", ProposalSubmitted, nil, 0, "", ""},
		{"R11 at 5h59m", ProposalSubmitted, nil, 5*time.Hour + 59*time.Minute, "", ""},
		{"R11 at exactly 6h", ProposalSubmitted, nil, 6 * time.Hour, CodeEditWindowClosed, "6 hours"},
		{"R11 at 6h01m", ProposalSubmitted, nil, 6*time.Hour + time.Minute, CodeEditWindowClosed, "6 hours"},
		{"R11 active, within 6h", ProposalActive, nil, time.Hour, "", ""},
		{"R11 before the view at 30m", ProposalSubmitted, ptime(t0.Add(30 * time.Minute)), 29 * time.Minute, "", ""},
		{"R11 at 1h after a view at 30m", ProposalSubmitted, ptime(t0.Add(30 * time.Minute)), time.Hour, CodeEditWindowClosed, "client viewed"},
		{"R11 view after the 6h", ProposalSubmitted, ptime(t0.Add(7 * time.Hour)), 8 * time.Hour, CodeEditWindowClosed, "6 hours"},
		{"R11 hired", ProposalHired, nil, time.Hour, CodeEditWindowClosed, "accepted"},
		{"withdrawn", ProposalWithdrawn, nil, time.Hour, CodeInvalidState, "withdrawn"},
		{"declined", ProposalDeclined, nil, time.Hour, CodeInvalidState, "declined"},
		{"archived", ProposalArchived, nil, time.Hour, CodeInvalidState, "archived"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &Proposal{Status: c.status, CreatedAt: t0, ClientViewedAt: c.viewed}
			err := p.CanEditContent(t0.Add(c.at))
			if c.code == "" {
				if err != nil || !p.ContentEditable(t0.Add(c.at)) {
					t.Fatalf("want editable, got %v", err)
				}
				return
			}
			if ErrorCode(err) != c.code || p.ContentEditable(t0.Add(c.at)) {
				t.Fatalf("want %s, got %v", c.code, err)
			}
			if !strings.Contains(err.Error(), c.mention) {
				t.Errorf("the error should say why (%q): %v", c.mention, err)
			}
		})
	}
}

// TestR11ContentEditableUntil: the window closes at the earlier of
// submission+6h and the first view.
func TestR11ContentEditableUntil(t *testing.T) {
	p := &Proposal{CreatedAt: t0}
	if got := p.ContentEditableUntil(); !got.Equal(t0.Add(6 * time.Hour)) {
		t.Errorf("without a view: %s", got)
	}
	p.MarkViewed(t0.Add(30 * time.Minute))
	if got := p.ContentEditableUntil(); !got.Equal(t0.Add(30 * time.Minute)) {
		t.Errorf("viewed at 30m: %s", got)
	}
}

// TestR12TermsEditable: terms stay editable after the client's view and
// after 6 hours, until an offer is accepted.
func TestR12TermsEditable(t *testing.T) {
	for _, c := range []struct {
		status ProposalStatus
		viewed bool
		code   Code
	}{
		{ProposalSubmitted, false, ""},
		{ProposalSubmitted, true, ""},
		{ProposalActive, true, ""},
		{ProposalOffered, true, ""},
		{ProposalHired, true, CodeEditWindowClosed},
		{ProposalWithdrawn, false, CodeInvalidState},
		{ProposalDeclined, true, CodeInvalidState},
		{ProposalArchived, false, CodeInvalidState},
	} {
		p := &Proposal{Status: c.status, CreatedAt: t0}
		if c.viewed {
			p.MarkViewed(t0.Add(30 * time.Minute))
		}
		err := p.CanEditTerms()
		if c.code == "" && (err != nil || !p.TermsEditable()) {
			t.Errorf("R12 %s (viewed %v): want editable, got %v", c.status, c.viewed, err)
		}
		if c.code != "" && (ErrorCode(err) != c.code || p.TermsEditable()) {
			t.Errorf("R12 %s: want %s, got %v", c.status, c.code, err)
		}
	}
}

// TestR10WithdrawAndDecline: withdrawal (the freelancer) and decline (the
// client) are allowed while submitted, active or offered, i.e. until an
// offer is accepted, and record the reason.
func TestR10WithdrawAndDecline(t *testing.T) {
	for _, s := range []ProposalStatus{ProposalSubmitted, ProposalActive, ProposalOffered, ProposalHired, ProposalWithdrawn, ProposalDeclined, ProposalArchived} {
		open := s == ProposalSubmitted || s == ProposalActive || s == ProposalOffered
		p := &Proposal{Status: s}
		err := p.Withdraw(t0, 7, "busy")
		if open != (err == nil) {
			t.Errorf("R10 withdraw from %s: %v", s, err)
		}
		if open && (p.Status != ProposalWithdrawn || p.StatusReasonID == nil || *p.StatusReasonID != 7 || p.StatusMessage != "busy" || !p.UpdatedAt.Equal(t0)) {
			t.Errorf("R10 withdrawn proposal: %+v", p)
		}
		if !open && (ErrorCode(err) != CodeInvalidState || p.Status != s) {
			t.Errorf("R10 withdraw from %s: want INVALID_STATE and no change, got %v, %s", s, err, p.Status)
		}
		if s == ProposalHired && !strings.Contains(err.Error(), "accepted") {
			t.Errorf("R10 the error should say an offer was accepted: %v", err)
		}
		q := &Proposal{Status: s}
		err = q.Decline(t0, 9, "")
		if open != (err == nil) || (open && q.Status != ProposalDeclined) {
			t.Errorf("decline from %s: %v (%s)", s, err, q.Status)
		}
		r := &Proposal{Status: s}
		if r.Archive(t0) != open || (open && r.Status != ProposalArchived) || (!open && r.Status != s) {
			t.Errorf("archive from %s: %s", s, r.Status)
		}
	}
}

// TestMarkViewedOnce: only the first view is recorded (R11).
func TestMarkViewedOnce(t *testing.T) {
	p := &Proposal{CreatedAt: t0}
	if !p.MarkViewed(t0.Add(time.Minute)) || p.MarkViewed(t0.Add(time.Hour)) || !p.ClientViewedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("want the first view kept: %v", p.ClientViewedAt)
	}
}

// TestAuthorizeFreelancerAction: the freelancer, the submitter and the
// agency's business manager may edit or withdraw; nobody else.
func TestAuthorizeFreelancerAction(t *testing.T) {
	agency := int64(3)
	p := &Proposal{FreelancerID: 1, SubmittedBy: 2, AgencyID: &agency}
	for _, c := range []struct {
		user int64
		role AgencyRole
		ok   bool
	}{{1, RoleMember, true}, {2, RoleBusinessManager, true}, {4, RoleBusinessManager, true}, {5, RoleOwner, false}, {6, RoleMember, false}, {7, "", false}} {
		err := p.AuthorizeFreelancerAction(c.user, c.role)
		if c.ok != (err == nil) || (!c.ok && ErrorCode(err) != CodeForbidden) {
			t.Errorf("user %d (%s): %v", c.user, c.role, err)
		}
	}
	solo := &Proposal{FreelancerID: 1, SubmittedBy: 1}
	if ErrorCode(solo.AuthorizeFreelancerAction(4, RoleBusinessManager)) != CodeForbidden {
		t.Errorf("a business manager has no say over a proposal without an agency")
	}
}

// TestR21RefundOnCancel: cancelling refunds what was spent, to whoever paid,
// except for proposals the freelancer withdrew (R10: not returned).
func TestR21RefundOnCancel(t *testing.T) {
	agency := int64(3)
	for _, c := range []struct {
		p    Proposal
		want int
	}{
		{Proposal{Status: ProposalSubmitted, ConnectsSpent: 6}, 6},
		{Proposal{Status: ProposalActive, ConnectsSpent: 6}, 6},
		{Proposal{Status: ProposalOffered, ConnectsSpent: 6}, 6},
		{Proposal{Status: ProposalDeclined, ConnectsSpent: 6}, 6},
		{Proposal{Status: ProposalWithdrawn, ConnectsSpent: 6}, 0},
		{Proposal{Status: ProposalSubmitted, ConnectsSpent: 0}, 0},
	} {
		if got := c.p.RefundOnCancel(); got != c.want {
			t.Errorf("R21 %s with %d spent: want %d, got %d", c.p.Status, c.p.ConnectsSpent, c.want, got)
		}
	}
	if o := (&Proposal{FreelancerID: 1}).ConnectsOwner(); o != (ConnectsOwner{UserID: 1}) {
		t.Errorf("freelancer proposal owner: %+v", o)
	}
	if o := (&Proposal{FreelancerID: 1, AgencyID: &agency}).ConnectsOwner(); o != (ConnectsOwner{AgencyID: 3}) {
		t.Errorf("R20 agency proposal owner: %+v", o)
	}
	if !RefundsOnClose(JobCancelled) || RefundsOnClose(JobExpired) || RefundsOnClose(JobNoHire) || RefundsOnClose(JobHired) {
		t.Errorf("R21: only CANCELLED refunds")
	}
}

// TestCheckClientClose: which results a client may close a job with.
func TestCheckClientClose(t *testing.T) {
	open := &Job{Status: JobOpen}
	res := JobNoHire
	closed := &Job{Status: JobClosed, CloseResult: &res}
	for _, c := range []struct {
		job    *Job
		result JobCloseResult
		hired  bool
		code   Code
	}{
		{open, JobNoHire, false, ""},
		{open, JobCancelled, false, ""},
		{open, JobHired, true, ""},
		{open, JobHired, false, CodeValidationFailed},
		{open, JobCancelled, true, CodeInvalidState},
		{open, JobNoHire, true, CodeValidationFailed},
		{open, JobExpired, false, CodeValidationFailed},
		{open, "LATER", false, CodeValidationFailed},
		{closed, JobCancelled, false, CodeInvalidState},
		{closed, JobExpired, false, CodeValidationFailed},
	} {
		err := c.job.CheckClientClose(c.result, c.hired)
		if ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
			t.Errorf("%s job, %s, hired %v: want %q, got %v", c.job.Status, c.result, c.hired, c.code, err)
		}
	}
}

// TestR2IsIdle: an open job idle for longer than the period expires.
func TestR2IsIdle(t *testing.T) {
	j := &Job{Status: JobOpen, LastActivityAt: t0}
	if j.IsIdle(t0.Add(30*24*time.Hour), 30*24*time.Hour) {
		t.Errorf("R2 exactly 30 days is not yet idle")
	}
	if !j.IsIdle(t0.Add(31*24*time.Hour), 30*24*time.Hour) {
		t.Errorf("R2 31 days idle should expire")
	}
	j.Close(t0, JobNoHire)
	if j.IsIdle(t0.Add(90*24*time.Hour), 30*24*time.Hour) || j.Status != JobClosed || *j.CloseResult != JobNoHire {
		t.Errorf("a closed job never expires: %+v", j)
	}
}
