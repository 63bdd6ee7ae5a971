package market

import (
	"strings"
	"time"
)

// ProposalStatus of a proposal (R10).
type ProposalStatus string

const (
	ProposalSubmitted ProposalStatus = "SUBMITTED"
	ProposalActive    ProposalStatus = "ACTIVE"
	ProposalOffered   ProposalStatus = "OFFERED"
	ProposalHired     ProposalStatus = "HIRED"
	ProposalWithdrawn ProposalStatus = "WITHDRAWN"
	ProposalDeclined  ProposalStatus = "DECLINED"
	ProposalArchived  ProposalStatus = "ARCHIVED"
)

// ContentEditWindow is how long after submission the cover letter, answers
// and attachments stay editable, unless the client views the proposal first (R11).
const ContentEditWindow = 6 * time.Hour

// Proposal is a freelancer's application to a job.
type Proposal struct {
	ID              int64          `db:"id"`
	JobID           int64          `db:"job_id"`
	FreelancerID    int64          `db:"freelancer_id"`
	AgencyID        *int64         `db:"agency_id"`
	SubmittedBy     int64          `db:"submitted_by"`
	InvitationID    *int64         `db:"invitation_id"`
	CoverLetter     string         `db:"cover_letter"`
	Terms           Terms          `db:"-"`
	MessageToClient string         `db:"message_to_client"`
	Status          ProposalStatus `db:"status"`
	ConnectsSpent   int            `db:"connects_spent"`
	ClientViewedAt  *time.Time     `db:"client_viewed_at"`
	StatusReasonID  *int64         `db:"status_reason_id"`
	StatusMessage   string         `db:"status_message"`
	CreatedAt       time.Time      `db:"created_at"`
	UpdatedAt       time.Time      `db:"updated_at"`
}

func (*Proposal) IsNode() {}

// ContentEditableUntil is when the content edit window closes (R11): six
// hours after submission, or the client's first view, whichever comes first.
func (p *Proposal) ContentEditableUntil() time.Time {
	until := p.CreatedAt.Add(ContentEditWindow)
	if p.ClientViewedAt != nil && p.ClientViewedAt.Before(until) {
		until = *p.ClientViewedAt
	}
	return until
}

// Answer is a freelancer's answer to a screening question.
type Answer struct {
	ProposalID int64  `db:"proposal_id"`
	QuestionID int64  `db:"question_id"`
	Text       string `db:"answer"`
}

// Attachment is a file attached to a proposal (stored elsewhere; we keep its metadata).
type Attachment struct {
	ID          int64  `db:"id"`
	ProposalID  int64  `db:"proposal_id"`
	Position    int    `db:"position"`
	Name        string `db:"name"`
	ContentType string `db:"content_type"`
	Size        int64  `db:"size_bytes"`
	URL         string `db:"url"`
}

// IsOpen reports whether the proposal is still in play: submitted, active or
// offered. Open proposals can be withdrawn, declined and archived (R10).
func (p *Proposal) IsOpen() bool {
	switch p.Status {
	case ProposalSubmitted, ProposalActive, ProposalOffered:
		return true
	}
	return false
}

// requireNotFinal refuses changes to a proposal that was withdrawn, declined
// or archived. Errors: INVALID_STATE.
func (p *Proposal) requireNotFinal() error {
	switch p.Status {
	case ProposalWithdrawn, ProposalDeclined, ProposalArchived:
		return Errorf(CodeInvalidState, "the proposal is %s", strings.ToLower(string(p.Status)))
	}
	return nil
}

// CanEditContent says whether the cover letter, answers and attachments may
// still be edited at now (R11): for 6 hours after submission or until the
// client first views the proposal, whichever comes first, and never once an
// offer was accepted. Errors: INVALID_STATE (withdrawn, declined, archived),
// EDIT_WINDOW_CLOSED (with why).
func (p *Proposal) CanEditContent(now time.Time) error {
	if err := p.requireNotFinal(); err != nil {
		return err
	}
	if p.Status == ProposalHired {
		return Errorf(CodeEditWindowClosed, "an offer on this proposal was accepted: its cover letter, answers and attachments can no longer be edited")
	}
	until := p.ContentEditableUntil()
	if now.Before(until) {
		return nil
	}
	if p.ClientViewedAt != nil && !p.ClientViewedAt.After(p.CreatedAt.Add(ContentEditWindow)) {
		return Errorf(CodeEditWindowClosed, "the client viewed the proposal at %s: its cover letter, answers and attachments can no longer be edited (R11)",
			p.ClientViewedAt.UTC().Format(time.RFC3339))
	}
	return Errorf(CodeEditWindowClosed, "the cover letter, answers and attachments can be edited for 6 hours after submission; that window closed at %s (R11)",
		until.UTC().Format(time.RFC3339))
}

// ContentEditable reports whether CanEditContent allows an edit at now.
func (p *Proposal) ContentEditable(now time.Time) bool { return p.CanEditContent(now) == nil }

// CanEditTerms says whether the terms (rate or bid, duration) may still be
// edited (R12): until an offer is accepted. Errors: INVALID_STATE (withdrawn,
// declined, archived), EDIT_WINDOW_CLOSED (hired).
func (p *Proposal) CanEditTerms() error {
	if err := p.requireNotFinal(); err != nil {
		return err
	}
	if p.Status == ProposalHired {
		return Errorf(CodeEditWindowClosed, "an offer on this proposal was accepted: its terms can no longer be edited (R12)")
	}
	return nil
}

// TermsEditable reports whether CanEditTerms allows an edit.
func (p *Proposal) TermsEditable() bool { return p.CanEditTerms() == nil }

// CanView reports whether a user may see the proposal: its freelancer, the
// member who submitted it, staff (owner, business manager) of its agency, or
// the client of its job (jobClientID). roleInAgency is the user's role in the
// proposal's agency ("" when none).
func (p *Proposal) CanView(userID int64, roleInAgency AgencyRole, jobClientID int64) bool {
	return userID == p.FreelancerID || userID == p.SubmittedBy || userID == jobClientID ||
		(p.AgencyID != nil && roleInAgency.IsStaff())
}

// AuthorizeClientAction checks that userID, doing action on the proposal
// (for the message), is the client of its job: anyone else who may see the
// proposal is refused; to anyone who may not, it does not exist.
// roleInAgency is the user's role in the proposal's agency ("" when none).
// Errors: NOT_FOUND, FORBIDDEN.
func (p *Proposal) AuthorizeClientAction(userID int64, roleInAgency AgencyRole, job *Job, action string) error {
	if userID != job.ClientID && !p.CanView(userID, roleInAgency, job.ClientID) {
		return NotFound("proposal")
	}
	return job.AuthorizeClient(userID, action)
}

// AuthorizeFreelancerAction checks that userID may edit or withdraw the
// proposal: its freelancer, whoever submitted it, or the business manager of
// its agency. roleInAgency is the user's role in the proposal's agency.
// Errors: FORBIDDEN.
func (p *Proposal) AuthorizeFreelancerAction(userID int64, roleInAgency AgencyRole) error {
	if userID == p.FreelancerID || userID == p.SubmittedBy {
		return nil
	}
	if p.AgencyID != nil && roleInAgency == RoleBusinessManager {
		return nil
	}
	return Errorf(CodeForbidden, "only the freelancer (or their agency's business manager) may change this proposal")
}

// requireOpen refuses a response to a proposal that is no longer in play.
// Errors: INVALID_STATE.
func (p *Proposal) requireOpen(action string) error {
	if p.IsOpen() {
		return nil
	}
	if p.Status == ProposalHired {
		return Errorf(CodeInvalidState, "an offer on this proposal was accepted: it can no longer be %s", action)
	}
	return Errorf(CodeInvalidState, "the proposal is %s and can no longer be %s", strings.ToLower(string(p.Status)), action)
}

// RequireWithdrawable checks that the freelancer may still withdraw: until an
// offer is accepted (R10). Errors: INVALID_STATE.
func (p *Proposal) RequireWithdrawable() error { return p.requireOpen("withdrawn") }

// RequireDeclinable checks that the client may still decline. Errors: INVALID_STATE.
func (p *Proposal) RequireDeclinable() error { return p.requireOpen("declined") }

// Withdraw marks the proposal withdrawn by the freelancer with a reason (R10).
// Errors: INVALID_STATE.
func (p *Proposal) Withdraw(now time.Time, reasonID int64, message string) error {
	if err := p.RequireWithdrawable(); err != nil {
		return err
	}
	p.setStatus(now, ProposalWithdrawn, &reasonID, message)
	return nil
}

// Decline marks the proposal declined by the client with a reason (R10).
// Errors: INVALID_STATE.
func (p *Proposal) Decline(now time.Time, reasonID int64, message string) error {
	if err := p.RequireDeclinable(); err != nil {
		return err
	}
	p.setStatus(now, ProposalDeclined, &reasonID, message)
	return nil
}

// Archive archives an open proposal because its job closed (R10). It reports
// whether the proposal changed: proposals no longer open are left as they are.
func (p *Proposal) Archive(now time.Time) bool {
	if !p.IsOpen() {
		return false
	}
	p.setStatus(now, ProposalArchived, nil, "")
	return true
}

func (p *Proposal) setStatus(now time.Time, s ProposalStatus, reasonID *int64, message string) {
	p.Status = s
	p.StatusReasonID = reasonID
	p.StatusMessage = message
	p.UpdatedAt = now
}

// MarkViewed records the client's first view (R11). It reports whether this
// was the first: repeating a view changes nothing.
func (p *Proposal) MarkViewed(now time.Time) bool {
	if p.ClientViewedAt != nil {
		return false
	}
	p.ClientViewedAt = &now
	p.UpdatedAt = now
	return true
}

// RefundOnCancel is how many Connects R21 returns for this proposal when the
// client cancels its job: what was spent, unless the freelancer withdrew it
// (R10: Connects are not returned on withdrawal). Expiry, decline and
// withdrawal by themselves never refund.
func (p *Proposal) RefundOnCancel() int {
	if p.ConnectsSpent <= 0 || p.Status == ProposalWithdrawn {
		return 0
	}
	return p.ConnectsSpent
}

// ConnectsOwner is whose balance paid for the proposal (R20).
func (p *Proposal) ConnectsOwner() ConnectsOwner { return ConnectsOwnerOf(p.FreelancerID, p.AgencyID) }
