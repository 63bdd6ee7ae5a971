package market_test

import (
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/market"
)

func offerPtr[T any](v T) *T { return &v }

func offerCode(err error) market.Code {
	if err == nil {
		return ""
	}
	return market.ErrorCode(err)
}

// TestRequireOfferable: R19, an offer goes on a SUBMITTED or ACTIVE proposal
// only; an OFFERED one already has a pending offer.
func TestRequireOfferable(t *testing.T) {
	for _, tc := range []struct {
		status market.ProposalStatus
		want   market.Code
	}{
		{market.ProposalSubmitted, ""},
		{market.ProposalActive, ""},
		{market.ProposalOffered, market.CodeInvalidState},
		{market.ProposalHired, market.CodeInvalidState},
		{market.ProposalWithdrawn, market.CodeInvalidState},
		{market.ProposalDeclined, market.CodeInvalidState},
		{market.ProposalArchived, market.CodeInvalidState},
	} {
		if got := offerCode(market.RequireOfferable(&market.Proposal{Status: tc.status})); got != tc.want {
			t.Errorf("%s: want %q, got %q", tc.status, tc.want, got)
		}
	}
}

// TestCheckWeeklyLimit: R19, a weekly limit only on hourly offers, 1..168.
func TestCheckWeeklyLimit(t *testing.T) {
	hourly := &market.Job{ContractType: market.ContractHourly}
	fixed := &market.Job{ContractType: market.ContractFixed}
	for _, tc := range []struct {
		name  string
		limit *int
		job   *market.Job
		want  market.Code
	}{
		{"none hourly", nil, hourly, ""},
		{"none fixed", nil, fixed, ""},
		{"1", offerPtr(1), hourly, ""},
		{"168", offerPtr(168), hourly, ""},
		{"0", offerPtr(0), hourly, market.CodeValidationFailed},
		{"169", offerPtr(169), hourly, market.CodeValidationFailed},
		{"negative", offerPtr(-5), hourly, market.CodeValidationFailed},
		{"on fixed", offerPtr(10), fixed, market.CodeValidationFailed},
	} {
		if got := offerCode(market.CheckWeeklyLimit("input.weeklyLimitHours", tc.limit, tc.job)); got != tc.want {
			t.Errorf("%s: want %q, got %q", tc.name, tc.want, got)
		}
	}
}

// TestAuthorizeOfferResponse: R19, the freelancer answers; on an agency
// proposal only a business manager does, the member themself included only
// when they are the business manager, or the owner when the agency has no
// business manager; the client never.
func TestAuthorizeOfferResponse(t *testing.T) {
	const client, freelancer, other = 1, 2, 3
	agency := offerPtr(int64(9))
	o := &market.Offer{ClientID: client}
	solo := &market.Proposal{FreelancerID: freelancer}
	viaAgency := &market.Proposal{FreelancerID: freelancer, AgencyID: agency}
	for _, tc := range []struct {
		name string
		user int64
		p    *market.Proposal
		role market.AgencyRole
		want market.Code
		noBM bool
	}{
		{"freelancer", freelancer, solo, "", "", false},
		{"client", client, solo, "", market.CodeForbidden, false},
		{"someone else", other, solo, "", market.CodeForbidden, false},
		{"agency member who submitted", freelancer, viaAgency, market.RoleMember, market.CodeForbidden, false},
		{"agency business manager", other, viaAgency, market.RoleBusinessManager, "", false},
		{"freelancer who is the business manager", freelancer, viaAgency, market.RoleBusinessManager, "", false},
		{"agency owner", other, viaAgency, market.RoleOwner, market.CodeForbidden, false},
		{"client who is a business manager", client, viaAgency, market.RoleBusinessManager, market.CodeForbidden, false},
		{"owner of an agency without a business manager", other, viaAgency, market.RoleOwner, "", true},
		{"member of an agency without a business manager", freelancer, viaAgency, market.RoleMember, market.CodeForbidden, true},
		{"client who owns an agency without a business manager", client, viaAgency, market.RoleOwner, market.CodeForbidden, true},
	} {
		if got := offerCode(market.AuthorizeOfferResponse(tc.user, o, tc.p, tc.role, !tc.noBM)); got != tc.want {
			t.Errorf("%s: want %q, got %q", tc.name, tc.want, got)
		}
	}
}

// TestOfferTransitions: only a pending offer is answered or withdrawn, and
// only while its proposal is OFFERED and its job open.
func TestOfferTransitions(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	open := &market.Job{Status: market.JobOpen}
	closed := &market.Job{Status: market.JobClosed}
	offered := &market.Proposal{Status: market.ProposalOffered}
	withdrawn := &market.Proposal{Status: market.ProposalWithdrawn}

	o := &market.Offer{Status: market.OfferPending}
	if err := o.RequireRespondable(offered, open); err != nil {
		t.Fatalf("pending offer: %v", err)
	}
	if got := offerCode(o.RequireRespondable(offered, closed)); got != market.CodeInvalidState {
		t.Errorf("closed job: want INVALID_STATE, got %q", got)
	}
	if got := offerCode(o.RequireRespondable(withdrawn, open)); got != market.CodeInvalidState {
		t.Errorf("withdrawn proposal: want INVALID_STATE, got %q", got)
	}
	o.Accept(now, 7)
	if o.Status != market.OfferAccepted || o.RespondedAt == nil || *o.RespondedBy != 7 {
		t.Errorf("accepted: %+v", o)
	}
	for _, err := range []error{o.RequireRespondable(offered, open), o.Withdraw(now), o.RequirePending()} {
		if offerCode(err) != market.CodeInvalidState {
			t.Errorf("after accept: want INVALID_STATE, got %v", err)
		}
	}

	d := &market.Offer{Status: market.OfferPending}
	d.Decline(now, 7, "not now")
	if d.Status != market.OfferDeclined || d.DeclineMessage != "not now" || d.RespondedAt == nil {
		t.Errorf("declined: %+v", d)
	}
	w := &market.Offer{Status: market.OfferPending}
	if err := w.Withdraw(now); err != nil || w.Status != market.OfferWithdrawn || w.RespondedAt == nil || w.RespondedBy != nil {
		t.Errorf("withdrawn: %+v %v", w, err)
	}
}

// TestProposalStatusAfterOffer: R10/R13, a withdrawn or declined offer puts
// the proposal back to ACTIVE when a room exists, else SUBMITTED; a proposal
// that left OFFERED meanwhile stays where it is.
func TestProposalStatusAfterOffer(t *testing.T) {
	for _, tc := range []struct {
		status  market.ProposalStatus
		hasRoom bool
		want    market.ProposalStatus
		ok      bool
	}{
		{market.ProposalOffered, true, market.ProposalActive, true},
		{market.ProposalOffered, false, market.ProposalSubmitted, true},
		{market.ProposalWithdrawn, true, market.ProposalWithdrawn, false},
		{market.ProposalArchived, false, market.ProposalArchived, false},
	} {
		got, ok := market.ProposalStatusAfterOffer(&market.Proposal{Status: tc.status}, tc.hasRoom)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s room=%v: want %s %v, got %s %v", tc.status, tc.hasRoom, tc.want, tc.ok, got, ok)
		}
	}
}

// TestNewContract: R19, the contract names the proposal's freelancer and
// agency, the job's contract type and the offer's terms.
func TestNewContract(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	rate := market.USD(5000)
	d := market.DurationOneToThree
	o := &market.Offer{ID: 3, ClientID: 1, Terms: market.Terms{HourlyRate: &rate, EstimatedDuration: &d}, WeeklyLimitHours: offerPtr(20)}
	p := &market.Proposal{ID: 4, FreelancerID: 2, SubmittedBy: 8, AgencyID: offerPtr(int64(9))}
	job := &market.Job{ID: 5, ClientID: 1, ContractType: market.ContractHourly}
	k := market.NewContract(o, p, job, now)
	if k.OfferID != 3 || k.ProposalID != 4 || k.JobID != 5 || k.ClientID != 1 || k.FreelancerID != 2 || *k.AgencyID != 9 ||
		k.ContractType != market.ContractHourly || k.Terms.HourlyRate.Minor != 5000 || *k.WeeklyLimitHours != 20 ||
		k.Status != market.ContractActive || !k.StartedAt.Equal(now) {
		t.Errorf("contract: %+v", k)
	}
}

// TestCheckBonusAmount: R19a, a bonus is positive and at most 100,000.00.
func TestCheckBonusAmount(t *testing.T) {
	for _, tc := range []struct {
		minor int64
		want  market.Code
	}{
		{1, ""},
		{150_00, ""},
		{market.MaxBonusMinor, ""},
		{market.MaxBonusMinor + 1, market.CodeValidationFailed},
		{0, market.CodeValidationFailed},
		{-100, market.CodeValidationFailed},
	} {
		if got := offerCode(market.CheckBonusAmount("input.amount", market.USD(tc.minor))); got != tc.want {
			t.Errorf("%d: want %q, got %q", tc.minor, tc.want, got)
		}
	}
}

// TestTimeKind: R19a, tracked time only by the freelancer named on the
// contract; manual time by them or any member of the contract's agency;
// nobody else; no time at all on a fixed-price contract.
func TestTimeKind(t *testing.T) {
	const client, named, colleague, stranger = 1, 2, 3, 4
	agency := offerPtr(int64(9))
	hourly := &market.Contract{ClientID: client, FreelancerID: named, AgencyID: agency, ContractType: market.ContractHourly}
	solo := &market.Contract{ClientID: client, FreelancerID: named, ContractType: market.ContractHourly}
	fixed := &market.Contract{ClientID: client, FreelancerID: named, AgencyID: agency, ContractType: market.ContractFixed}
	for _, tc := range []struct {
		name   string
		k      *market.Contract
		user   int64
		role   market.AgencyRole
		manual bool
		want   market.TimeEntryKind
		code   market.Code
	}{
		{"named tracked", hourly, named, market.RoleMember, false, market.TimeTracked, ""},
		{"named manual", hourly, named, market.RoleMember, true, market.TimeManual, ""},
		{"colleague tracked", hourly, colleague, market.RoleMember, false, "", market.CodeForbidden},
		{"colleague manual", hourly, colleague, market.RoleMember, true, market.TimeManual, ""},
		{"business manager manual", hourly, colleague, market.RoleBusinessManager, true, market.TimeManual, ""},
		{"owner tracked", hourly, colleague, market.RoleOwner, false, "", market.CodeForbidden},
		{"client tracked", hourly, client, "", false, "", market.CodeForbidden},
		{"client manual", hourly, client, "", true, "", market.CodeForbidden},
		{"stranger manual", hourly, stranger, "", true, "", market.CodeForbidden},
		{"solo freelancer", solo, named, "", false, market.TimeTracked, ""},
		{"fixed named", fixed, named, market.RoleMember, false, "", market.CodeInvalidState},
		{"fixed colleague manual", fixed, colleague, market.RoleMember, true, "", market.CodeInvalidState},
		{"fixed client", fixed, client, "", true, "", market.CodeForbidden},
	} {
		got, err := tc.k.TimeKind(tc.user, tc.role, tc.manual)
		if got != tc.want || offerCode(err) != tc.code {
			t.Errorf("%s: want %q %q, got %q %v", tc.name, tc.want, tc.code, got, err)
		}
	}
}

// TestContractCanView: the contract's client, freelancer and agency staff.
func TestContractCanView(t *testing.T) {
	k := &market.Contract{ClientID: 1, FreelancerID: 2, AgencyID: offerPtr(int64(9))}
	for _, tc := range []struct {
		user int64
		role market.AgencyRole
		want bool
	}{
		{1, "", true}, {2, market.RoleMember, true}, {3, market.RoleOwner, true},
		{3, market.RoleBusinessManager, true}, {3, market.RoleMember, false}, {4, "", false},
	} {
		if got := k.CanView(tc.user, tc.role); got != tc.want {
			t.Errorf("user %d %s: want %v", tc.user, tc.role, tc.want)
		}
	}
}

// TestCheckMinutes: 1 to 1440 minutes per entry.
func TestCheckMinutes(t *testing.T) {
	for m, want := range map[int]market.Code{1: "", 1440: "", 0: market.CodeValidationFailed, 1441: market.CodeValidationFailed, -3: market.CodeValidationFailed} {
		if got := offerCode(market.CheckMinutes("input.minutes", m)); got != want {
			t.Errorf("%d: want %q, got %q", m, want, got)
		}
	}
}
