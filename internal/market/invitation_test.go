package market

import (
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

func TestInvitationResponses(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	open := &Job{Status: JobOpen}
	closed := &Job{Status: JobClosed, CloseResult: ptr(JobCancelled)}

	t.Run("OK", func(t *testing.T) {
		inv := &Invitation{Status: InvitationPending, CreatedAt: now}
		if err := inv.RequireRespondable(open); err != nil {
			t.Fatal(err)
		}
		if err := inv.Archive(now.Add(time.Minute)); err != nil || !inv.Archived() || inv.Status != InvitationPending {
			t.Fatalf("ignoring archives and stays pending: %+v %v", inv, err)
		}
		if err := inv.RequireRespondable(open); err != nil {
			t.Fatalf("an archived invitation can still be answered: %v", err)
		}
		if inv.ResponseTime() != nil {
			t.Fatal("ignoring is not a response")
		}
		inv.Accept(now.Add(2*time.Hour), 7)
		if inv.Status != InvitationAccepted || *inv.ProposalID != 7 || *inv.ResponseTime() != 2*time.Hour {
			t.Fatalf("accept: %+v", inv)
		}
	})
	t.Run("ErrInvalidState", func(t *testing.T) {
		for _, s := range []InvitationStatus{InvitationAccepted, InvitationDeclined, InvitationWithdrawn, InvitationExpired} {
			inv := &Invitation{Status: s}
			if err := inv.RequireRespondable(open); !IsCode(err, CodeInvalidState) {
				t.Errorf("%s: want INVALID_STATE, got %v", s, err)
			}
			if err := inv.Withdraw(now); !IsCode(err, CodeInvalidState) {
				t.Errorf("withdraw %s: want INVALID_STATE, got %v", s, err)
			}
		}
		if err := (&Invitation{Status: InvitationPending}).RequireRespondable(closed); !IsCode(err, CodeInvalidState) {
			t.Errorf("closed job: want INVALID_STATE, got %v", err)
		}
		inv := &Invitation{Status: InvitationPending, ArchivedAt: &now}
		if err := inv.Archive(now); !IsCode(err, CodeInvalidState) {
			t.Errorf("archive twice: want INVALID_STATE, got %v", err)
		}
	})
	t.Run("MarkSeenOnce", func(t *testing.T) {
		inv := &Invitation{Status: InvitationPending}
		if !inv.MarkSeen(now) || inv.MarkSeen(now.Add(time.Hour)) || !inv.SeenAt.Equal(now) {
			t.Fatalf("seen is recorded once: %+v", inv)
		}
	})
}

func TestAuthorizeResponse(t *testing.T) {
	agency := int64(3)
	direct := &Invitation{FreelancerID: 1, ClientID: 2}
	viaAgency := &Invitation{FreelancerID: 1, ClientID: 2, AgencyID: &agency}
	for _, tc := range []struct {
		name string
		inv  *Invitation
		user int64
		role AgencyRole
		ok   bool
	}{
		{"invitee", direct, 1, "", true},
		{"client", direct, 2, "", false},
		{"business manager, direct invitation", direct, 9, RoleBusinessManager, false},
		{"business manager, agency invitation", viaAgency, 9, RoleBusinessManager, true},
		{"owner, agency invitation", viaAgency, 9, RoleOwner, false},
		{"member, agency invitation", viaAgency, 9, RoleMember, false},
	} {
		err := tc.inv.AuthorizeResponse(tc.user, tc.role)
		if (err == nil) != tc.ok || (err != nil && !IsCode(err, CodeForbidden)) {
			t.Errorf("%s: got %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestSubmissionAgency(t *testing.T) {
	a, b := int64(3), int64(4)
	direct := &Invitation{FreelancerID: 1}
	viaA := &Invitation{FreelancerID: 1, AgencyID: &a}
	for _, tc := range []struct {
		name                  string
		inv                   *Invitation
		actor                 int64
		requested             *int64
		actorRole, inviteRole AgencyRole
		want                  *int64
		code                  Code
	}{
		{"own, no agency", direct, 1, nil, "", "", nil, ""},
		{"someone else, no agency", direct, 9, nil, RoleBusinessManager, "", nil, CodeForbidden},
		{"member submits for their agency", direct, 1, &a, RoleMember, RoleMember, &a, ""},
		{"business manager submits for a member", direct, 9, &a, RoleBusinessManager, RoleMember, &a, ""},
		{"owner is not a business manager", direct, 9, &a, RoleOwner, RoleMember, nil, CodeForbidden},
		{"invitee not a member", direct, 1, &a, "", "", nil, CodeValidationFailed},
		{"agency invitation defaults to its agency", viaA, 1, nil, RoleMember, RoleMember, &a, ""},
		{"another agency than the invitation's", viaA, 1, &b, RoleMember, RoleMember, nil, CodeValidationFailed},
	} {
		got, err := SubmissionAgency(tc.inv, tc.actor, tc.requested, tc.actorRole, tc.inviteRole)
		if tc.code != "" {
			if !IsCode(err, tc.code) {
				t.Errorf("%s: want %s, got %v", tc.name, tc.code, err)
			}
			continue
		}
		if err != nil || (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
			t.Errorf("%s: got %v, %v", tc.name, got, err)
		}
	}
}

func TestCheckProposalContent(t *testing.T) {
	letterJob := &Job{InterviewMode: InterviewCoverLetter}
	instant := &Job{InterviewMode: InterviewInstant}
	qs := []*Question{{ID: 10, Position: 1, Text: "Tools?"}, {ID: 11, Position: 2, Text: "Re-runs?"}}
	att := Attachment{Name: "cv.pdf", ContentType: "application/pdf", Size: 1000, URL: "https://files.test/cv.pdf"}
	for _, tc := range []struct {
		name  string
		job   *Job
		in    ProposalContent
		field string
	}{
		{"letter ok", letterJob, ProposalContent{CoverLetter: "Hello", Attachments: []Attachment{att}}, ""},
		{"letter missing", letterJob, ProposalContent{CoverLetter: "  "}, "input.coverLetter"},
		{"all answers", instant, ProposalContent{Answers: []Answer{{QuestionID: 10, Text: "dbt"}, {QuestionID: 11, Text: "upserts"}}}, ""},
		{"missing answer", instant, ProposalContent{Answers: []Answer{{QuestionID: 10, Text: "dbt"}}}, "input.answers"},
		{"empty answer", instant, ProposalContent{Answers: []Answer{{QuestionID: 10, Text: ""}, {QuestionID: 11, Text: "x"}}}, "input.answers.0.answer"},
		{"unknown question", instant, ProposalContent{Answers: []Answer{{QuestionID: 99, Text: "x"}}}, "input.answers.0.questionId"},
		{"answered twice", instant, ProposalContent{Answers: []Answer{{QuestionID: 10, Text: "x"}, {QuestionID: 10, Text: "y"}}}, "input.answers.1.questionId"},
		{"bad url", letterJob, ProposalContent{CoverLetter: "Hi", Attachments: []Attachment{{Name: "a", ContentType: "text/plain", URL: "ftp://x"}}}, "input.attachments.0.url"},
		{"too large", letterJob, ProposalContent{CoverLetter: "Hi", Attachments: []Attachment{{Name: "a", ContentType: "text/plain", Size: MaxAttachmentSize + 1, URL: "https://x.test/a"}}}, "input.attachments.0.size"},
	} {
		_, err := CheckProposalContent(tc.job, qs, tc.in)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Code != CodeValidationFailed || e.Field != tc.field {
			t.Errorf("%s: want VALIDATION_FAILED on %s, got %v", tc.name, tc.field, err)
		}
	}
}

func TestTermsValidateFor(t *testing.T) {
	hourly := &Job{ContractType: ContractHourly}
	fixed := &Job{ContractType: ContractFixed}
	rate := USD(5000)
	zero := USD(0)
	tenMillion := USD(1_000_000_000)
	bad := EstimatedDuration("FOREVER")
	for _, tc := range []struct {
		name  string
		terms Terms
		job   *Job
		field string
	}{
		{"hourly ok", Terms{HourlyRate: &rate}, hourly, ""},
		{"fixed ok", Terms{FixedPrice: &rate, EstimatedDuration: ptr(DurationOneToThree)}, fixed, ""},
		{"neither", Terms{}, hourly, "t"},
		{"both", Terms{HourlyRate: &rate, FixedPrice: &rate}, hourly, "t"},
		{"wrong kind", Terms{FixedPrice: &rate}, hourly, "t.hourlyRate"},
		{"zero", Terms{FixedPrice: &zero}, fixed, "t.fixedPrice.amount"},
		{"ten million an hour", Terms{HourlyRate: &tenMillion}, hourly, "t.hourlyRate.amount"},
		{"duration", Terms{HourlyRate: &rate, EstimatedDuration: &bad}, hourly, "t.estimatedDuration"},
	} {
		err := tc.terms.ValidateFor("t", tc.job)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if e, ok := err.(*Error); !ok || e.Field != tc.field {
			t.Errorf("%s: want an error on %s, got %v", tc.name, tc.field, err)
		}
	}
}
