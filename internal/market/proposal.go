package market

import "time"

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
