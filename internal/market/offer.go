package market

import (
	"strings"
	"time"
)

// OfferStatus of a contract offer (R19).
type OfferStatus string

const (
	OfferPending   OfferStatus = "PENDING"
	OfferAccepted  OfferStatus = "ACCEPTED"
	OfferDeclined  OfferStatus = "DECLINED"
	OfferWithdrawn OfferStatus = "WITHDRAWN"
	// OfferExpired: the job closed while the offer was pending.
	OfferExpired OfferStatus = "EXPIRED"
)

// Offer is a client's contract offer on a proposal.
type Offer struct {
	ID               int64       `db:"id"`
	ProposalID       int64       `db:"proposal_id"`
	ClientID         int64       `db:"client_id"`
	Terms            Terms       `db:"-"`
	WeeklyLimitHours *int        `db:"weekly_limit_hours"`
	Message          string      `db:"message"`
	Status           OfferStatus `db:"status"`
	DeclineMessage   string      `db:"decline_message"`
	RespondedBy      *int64      `db:"responded_by"`
	CreatedAt        time.Time   `db:"created_at"`
	RespondedAt      *time.Time  `db:"responded_at"`
}

func (*Offer) IsNode() {}

// ContractStatus of a contract.
type ContractStatus string

const (
	ContractActive ContractStatus = "ACTIVE"
	ContractEnded  ContractStatus = "ENDED"
)

// Contract is what an accepted offer starts.
type Contract struct {
	ID               int64          `db:"id"`
	OfferID          int64          `db:"offer_id"`
	ProposalID       int64          `db:"proposal_id"`
	JobID            int64          `db:"job_id"`
	ClientID         int64          `db:"client_id"`
	FreelancerID     int64          `db:"freelancer_id"`
	AgencyID         *int64         `db:"agency_id"`
	ContractType     ContractType   `db:"contract_type"`
	Terms            Terms          `db:"-"`
	WeeklyLimitHours *int           `db:"weekly_limit_hours"`
	Status           ContractStatus `db:"status"`
	StartedAt        time.Time      `db:"started_at"`
	EndedAt          *time.Time     `db:"ended_at"`
}

func (*Contract) IsNode() {}

// Bonus is an extra payment by the client on a contract (R18, R19a).
type Bonus struct {
	ID         int64     `db:"id"`
	ContractID int64     `db:"contract_id"`
	Amount     Money     `db:"-"`
	Note       string    `db:"note"`
	PaidBy     int64     `db:"paid_by"`
	PaidAt     time.Time `db:"paid_at"`
}

func (*Bonus) IsNode() {}

// TimeEntryKind: tracked (the contract's freelancer) or manual (R19a).
type TimeEntryKind string

const (
	TimeTracked TimeEntryKind = "TRACKED"
	TimeManual  TimeEntryKind = "MANUAL"
)

// TimeEntry is time logged on an hourly contract.
type TimeEntry struct {
	ID         int64         `db:"id"`
	ContractID int64         `db:"contract_id"`
	UserID     int64         `db:"user_id"`
	Minutes    int           `db:"minutes"`
	Memo       string        `db:"memo"`
	Kind       TimeEntryKind `db:"kind"`
	CreatedAt  time.Time     `db:"created_at"`
}

func (*TimeEntry) IsNode() {}

// Limits of offers, bonuses and time entries.
const (
	// MaxWeeklyLimitHours is the most an hourly offer's weekly limit can be
	// (the hours of a week).
	MaxWeeklyLimitHours = 168
	// MaxBonusMinor caps one bonus: a guard against typos (an extra zero or two),
	// not a business limit. 100,000.00 USD.
	MaxBonusMinor = 100_000_00
	// MaxBonusNoteLen is the longest bonus note.
	MaxBonusNoteLen = 1000
	// MaxTimeEntryMinutes is the most one time entry can hold: a day.
	MaxTimeEntryMinutes = 1440
	// MaxMemoLen is the longest time-entry memo.
	MaxMemoLen = 1000
)

// OfferParty reports whether a user is party to the offers and the contract
// of a proposal: the job's client, the proposal's freelancer, or staff
// (owner, business manager) of the proposal's agency. roleInAgency is the
// user's role in that agency ("" when none).
func OfferParty(userID, clientID, freelancerID int64, agencyID *int64, roleInAgency AgencyRole) bool {
	return userID == clientID || FreelancerSide(userID, freelancerID, agencyID, roleInAgency) || (agencyID != nil && roleInAgency.IsStaff())
}

// RequireOfferable checks that a client can send an offer on the proposal
// (R19): it is SUBMITTED or ACTIVE. An OFFERED proposal already has a
// pending offer. Errors: INVALID_STATE.
func RequireOfferable(p *Proposal) error {
	switch p.Status {
	case ProposalSubmitted, ProposalActive:
		return nil
	case ProposalOffered:
		return Errorf(CodeInvalidState, "an offer is already pending on this proposal: withdraw it first to send another")
	}
	return Errorf(CodeInvalidState, "the proposal is %s: offers can be sent only on submitted or active proposals", strings.ToLower(string(p.Status)))
}

// CheckWeeklyLimit validates an offer's weekly limit: hourly offers may
// carry one of 1 to 168 hours; fixed-price offers none. Errors: VALIDATION_FAILED.
func CheckWeeklyLimit(field string, limit *int, job *Job) error {
	if limit == nil {
		return nil
	}
	if job.ContractType != ContractHourly {
		return Invalid(field, "a weekly limit applies only to hourly offers; this job is fixed-price")
	}
	if *limit < 1 || *limit > MaxWeeklyLimitHours {
		return Invalid(field, "the weekly limit must be between 1 and %d hours", MaxWeeklyLimitHours)
	}
	return nil
}

// AuthorizeOfferResponse checks that userID may accept or decline an offer
// on the proposal (R19): the proposal's freelancer; for an agency proposal
// only a business manager of that agency (the freelancer themself only when
// they are that business manager), or its owner when the agency has no
// business manager (else the offer could never be answered). The client
// who sent the offer never answers it. roleInAgency is the user's role in
// the proposal's agency; agencyHasManager whether it has a business
// manager. Errors: FORBIDDEN.
func AuthorizeOfferResponse(userID int64, o *Offer, p *Proposal, roleInAgency AgencyRole, agencyHasManager bool) error {
	if userID == o.ClientID {
		return Errorf(CodeForbidden, "the client who sent the offer cannot answer it")
	}
	if p.AgencyID != nil {
		if roleInAgency == RoleBusinessManager || (roleInAgency == RoleOwner && !agencyHasManager) {
			return nil
		}
		if agencyHasManager {
			return Errorf(CodeForbidden, "only the agency's business manager may respond to an offer on an agency proposal")
		}
		return Errorf(CodeForbidden, "only the agency's owner may respond to an offer on an agency proposal (the agency has no business manager)")
	}
	if userID == p.FreelancerID {
		return nil
	}
	return Errorf(CodeForbidden, "only the freelancer may respond to this offer")
}

// AuthorizeWithdraw checks that userID is the client who sent the offer:
// only they withdraw it. Errors: FORBIDDEN.
func (o *Offer) AuthorizeWithdraw(userID int64) error {
	if userID != o.ClientID {
		return Errorf(CodeForbidden, "only the client who sent the offer may withdraw it")
	}
	return nil
}

// RequirePending checks that the offer can still be responded to or
// withdrawn. Errors: INVALID_STATE.
func (o *Offer) RequirePending() error {
	if o.Status != OfferPending {
		return Errorf(CodeInvalidState, "the offer is %s, no longer pending", strings.ToLower(string(o.Status)))
	}
	return nil
}

// RequireRespondable checks that the offer can be accepted or declined:
// pending, its proposal still OFFERED, and the job open. Errors: INVALID_STATE.
func (o *Offer) RequireRespondable(p *Proposal, job *Job) error {
	if err := o.RequirePending(); err != nil {
		return err
	}
	if p.Status != ProposalOffered {
		return Errorf(CodeInvalidState, "the proposal is %s: the offer can no longer be answered", strings.ToLower(string(p.Status)))
	}
	return job.RequireOpen()
}

// Accept marks a pending offer accepted by userID.
func (o *Offer) Accept(now time.Time, userID int64) {
	o.Status, o.RespondedAt, o.RespondedBy = OfferAccepted, &now, &userID
}

// Decline marks a pending offer declined by userID with a message.
func (o *Offer) Decline(now time.Time, userID int64, message string) {
	o.Status, o.RespondedAt, o.RespondedBy, o.DeclineMessage = OfferDeclined, &now, &userID, message
}

// Withdraw is the client taking a pending offer back. Errors: INVALID_STATE.
func (o *Offer) Withdraw(now time.Time) error {
	if o.Status != OfferPending {
		return Errorf(CodeInvalidState, "only a pending offer can be withdrawn; this one is %s", strings.ToLower(string(o.Status)))
	}
	o.Status, o.RespondedAt = OfferWithdrawn, &now
	return nil
}

// ProposalStatusAfterOffer is where a proposal goes when its pending offer is
// withdrawn or declined: back to ACTIVE when the client had responded (a
// message room exists), else SUBMITTED. Only an OFFERED proposal moves; one
// that meanwhile left that state (withdrawn, archived) keeps its status, and
// ok is false.
func ProposalStatusAfterOffer(p *Proposal, hasRoom bool) (status ProposalStatus, ok bool) {
	if p.Status != ProposalOffered {
		return p.Status, false
	}
	if hasRoom {
		return ProposalActive, true
	}
	return ProposalSubmitted, true
}

// NewContract is the contract an accepted offer starts (R19): the proposal's
// freelancer is the one named on it, the agency is the proposal's, the
// contract type the job's, and the terms and weekly limit the offer's.
func NewContract(o *Offer, p *Proposal, job *Job, now time.Time) *Contract {
	t := o.Terms
	t.EstimatedDuration = nil
	return &Contract{
		OfferID: o.ID, ProposalID: p.ID, JobID: job.ID, ClientID: job.ClientID, FreelancerID: p.FreelancerID,
		AgencyID: p.AgencyID, ContractType: job.ContractType, Terms: t, WeeklyLimitHours: o.WeeklyLimitHours,
		Status: ContractActive, StartedAt: now,
	}
}

// CanView reports whether a user may read the contract: its client, its
// freelancer, or staff of its agency. roleInAgency is the user's role in
// the contract's agency.
func (c *Contract) CanView(userID int64, roleInAgency AgencyRole) bool {
	return OfferParty(userID, c.ClientID, c.FreelancerID, c.AgencyID, roleInAgency)
}

// AuthorizeBonus checks that userID may pay a bonus on the contract: its
// client. The other parties are refused; to anyone else the contract does not
// exist. roleInAgency is the user's role in the contract's agency.
// Errors: NOT_FOUND, FORBIDDEN.
func (c *Contract) AuthorizeBonus(userID int64, roleInAgency AgencyRole) error {
	if !c.CanView(userID, roleInAgency) {
		return NotFound("contract")
	}
	if userID != c.ClientID {
		return Errorf(CodeForbidden, "only the contract's client pays bonuses")
	}
	return nil
}

// TotalBonus is the sum of a contract's bonuses (zero USD for none).
func TotalBonus(bonuses []*Bonus) Money {
	total := USD(0)
	for _, b := range bonuses {
		total.Minor += b.Amount.Minor
	}
	return total
}

// RequireActive checks that the contract is running. Errors: INVALID_STATE.
func (c *Contract) RequireActive() error {
	if c.Status != ContractActive {
		return Errorf(CodeInvalidState, "the contract is %s", strings.ToLower(string(c.Status)))
	}
	return nil
}

// CheckBonusAmount validates a bonus amount: positive and at most MaxBonusMinor.
// Errors: VALIDATION_FAILED.
func CheckBonusAmount(field string, m Money) error {
	if m.Minor <= 0 {
		return Invalid(field, "a bonus must be a positive amount")
	}
	if m.Minor > MaxBonusMinor {
		return Invalid(field, "a bonus can be at most %s", USD(MaxBonusMinor).Amount())
	}
	return nil
}

// TimeKind decides who may log which time on a contract (R19a): the
// freelancer named on the contract logs tracked or manual time; any other
// member of the contract's agency (staff included) only manual time; nobody
// else (the client neither) logs time. Only an hourly contract has time
// tracking. roleInAgency is the user's role in the contract's agency (""
// when none). Errors: FORBIDDEN, INVALID_STATE.
func (c *Contract) TimeKind(userID int64, roleInAgency AgencyRole, manual bool) (TimeEntryKind, error) {
	named := FreelancerSide(userID, c.FreelancerID, c.AgencyID, roleInAgency)
	member := c.AgencyID != nil && roleInAgency != ""
	if !named && !member {
		return "", Errorf(CodeForbidden, "only the contract's freelancer and the members of its agency log time")
	}
	if c.ContractType != ContractHourly {
		return "", Errorf(CodeInvalidState, "a fixed-price contract has no time tracking")
	}
	if manual {
		return TimeManual, nil
	}
	if !named {
		return "", Errorf(CodeForbidden, "only the freelancer named on the contract logs tracked time; other agency members add manual time (manual: true)")
	}
	return TimeTracked, nil
}

// AuthorizeTimeLog decides whether userID may log time on the contract and
// of which kind (see TimeKind). Members of the contract's agency who are not
// its staff cannot read the contract but do log manual time on it, so they
// are no outsiders here; to outsiders the contract does not exist.
// Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE.
func (c *Contract) AuthorizeTimeLog(userID int64, roleInAgency AgencyRole, manual bool) (TimeEntryKind, error) {
	if !c.CanView(userID, roleInAgency) && roleInAgency == "" {
		return "", NotFound("contract")
	}
	return c.TimeKind(userID, roleInAgency, manual)
}

// CheckMinutes validates a time entry's length. Errors: VALIDATION_FAILED.
func CheckMinutes(field string, minutes int) error {
	if minutes < 1 || minutes > MaxTimeEntryMinutes {
		return Invalid(field, "minutes must be between 1 and %d", MaxTimeEntryMinutes)
	}
	return nil
}
