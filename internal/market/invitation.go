package market

import (
	"strings"
	"time"
)

// InvitationOrigin says who sent an invitation to apply (R3).
type InvitationOrigin string

const (
	OriginDirect    InvitationOrigin = "DIRECT"
	OriginAutomatic InvitationOrigin = "AUTOMATIC"
)

// InvitationStatus of an invitation (R4). Ignoring is not a status: it archives.
type InvitationStatus string

const (
	InvitationPending   InvitationStatus = "PENDING"
	InvitationAccepted  InvitationStatus = "ACCEPTED"
	InvitationDeclined  InvitationStatus = "DECLINED"
	InvitationWithdrawn InvitationStatus = "WITHDRAWN"
	InvitationExpired   InvitationStatus = "EXPIRED"
)

// Invitation is an invitation to apply to a job.
type Invitation struct {
	ID              int64            `db:"id"`
	JobID           int64            `db:"job_id"`
	FreelancerID    int64            `db:"freelancer_id"`
	ClientID        int64            `db:"client_id"`
	AgencyID        *int64           `db:"agency_id"`
	Origin          InvitationOrigin `db:"origin"`
	Message         string           `db:"message"`
	MatchScore      *float64         `db:"match_score"`
	MatchedSkills   []string         `db:"-"`
	Status          InvitationStatus `db:"status"`
	ArchivedAt      *time.Time       `db:"archived_at"`
	SeenAt          *time.Time       `db:"seen_at"`
	WithdrawnAt     *time.Time       `db:"withdrawn_at"`
	RespondedAt     *time.Time       `db:"responded_at"`
	DeclineReasonID *int64           `db:"decline_reason_id"`
	DeclineMessage  string           `db:"decline_message"`
	ProposalID      *int64           `db:"proposal_id"`
	CreatedAt       time.Time        `db:"created_at"`
	UpdatedAt       time.Time        `db:"updated_at"`
}

func (*Invitation) IsNode() {}

// Archived reports whether the freelancer ignored the invitation. An archived
// invitation is still pending (R4).
func (i *Invitation) Archived() bool { return i.ArchivedAt != nil }

// ResponseTime is the time from receipt to acceptance or decline (R9).
func (i *Invitation) ResponseTime() *time.Duration {
	if i.RespondedAt == nil {
		return nil
	}
	d := i.RespondedAt.Sub(i.CreatedAt)
	return &d
}

// Viewer relations to an invitation.

// CanView reports whether a user may read the invitation: the invitee, the
// client, or staff (owner, business manager) of the agency it was sent through.
func (i *Invitation) CanView(userID int64, roleInAgency AgencyRole) bool {
	return FreelancerSide(userID, i.FreelancerID, i.AgencyID, roleInAgency) || userID == i.ClientID || (i.AgencyID != nil && roleInAgency.IsStaff())
}

// AuthorizeResponse checks that userID may accept, decline or ignore the
// invitation (R8): the invitee, or the business manager of the agency the
// invitation was sent through. roleInAgency is the user's role in that agency.
// Errors: FORBIDDEN.
func (i *Invitation) AuthorizeResponse(userID int64, roleInAgency AgencyRole) error {
	if FreelancerSide(userID, i.FreelancerID, i.AgencyID, roleInAgency) {
		return nil
	}
	if i.AgencyID != nil && roleInAgency == RoleBusinessManager {
		return nil
	}
	return Errorf(CodeForbidden, "only the invited freelancer (or their agency's business manager) may respond to this invitation")
}

// AuthorizeAccept is the first check of an acceptance (R8): with no agency
// in play (none requested, none on the invitation) only the invitee may
// accept. SubmissionAgency decides the rest. Errors: FORBIDDEN.
func (i *Invitation) AuthorizeAccept(userID int64, requestedAgency *int64) error {
	if requestedAgency == nil && i.AgencyID == nil && userID != i.FreelancerID {
		return Errorf(CodeForbidden, "only the invited freelancer may accept this invitation")
	}
	return nil
}

// AuthorizeMarkSeen checks that userID is the invitee: only they mark an
// invitation seen (R9). Errors: FORBIDDEN.
func (i *Invitation) AuthorizeMarkSeen(userID int64) error {
	if userID != i.FreelancerID {
		return Errorf(CodeForbidden, "only the invited freelancer marks an invitation seen")
	}
	return nil
}

// AuthorizeWithdraw checks that userID is the client who sent the
// invitation: only they withdraw it. Errors: FORBIDDEN.
func (i *Invitation) AuthorizeWithdraw(userID int64) error {
	if userID != i.ClientID {
		return Errorf(CodeForbidden, "only the client who sent the invitation may withdraw it")
	}
	return nil
}

// RequireNotBlocked refuses a client's invitation to a freelancer who
// blocked that client (R5, R7). Errors: FORBIDDEN.
func RequireNotBlocked(blocked bool) error {
	if blocked {
		return Errorf(CodeForbidden, "this freelancer does not accept invitations from you")
	}
	return nil
}

// CanRespond checks that userID may decline or ignore the invitation now
// (R8): they may respond to it (AuthorizeResponse) and it can still be
// responded to (RequireRespondable). Errors: FORBIDDEN, INVALID_STATE.
func (i *Invitation) CanRespond(userID int64, roleInAgency AgencyRole, job *Job) error {
	if err := i.AuthorizeResponse(userID, roleInAgency); err != nil {
		return err
	}
	return i.RequireRespondable(job)
}

// RequireRespondable checks that the invitation can still be responded to:
// pending, and its job open (R8). Errors: INVALID_STATE.
func (i *Invitation) RequireRespondable(job *Job) error {
	if i.Status != InvitationPending {
		return Errorf(CodeInvalidState, "the invitation is %s and can no longer be responded to", strings.ToLower(string(i.Status)))
	}
	return job.RequireOpen()
}

// Accept marks the invitation accepted by the proposal.
func (i *Invitation) Accept(now time.Time, proposalID int64) {
	i.Status = InvitationAccepted
	i.RespondedAt = &now
	i.ProposalID = &proposalID
	i.UpdatedAt = now
}

// Decline marks the invitation declined.
func (i *Invitation) Decline(now time.Time, reasonID int64, message string) {
	i.Status = InvitationDeclined
	i.RespondedAt = &now
	i.DeclineReasonID = &reasonID
	i.DeclineMessage = message
	i.UpdatedAt = now
}

// Archive ignores a pending invitation: it moves to the archive and stays
// pending; ignoring is not a response (R4). It leaves UpdatedAt alone:
// the client sees that, and must not learn of the ignoring (R25).
// Errors: INVALID_STATE.
func (i *Invitation) Archive(now time.Time) error {
	if i.Archived() {
		return Errorf(CodeInvalidState, "the invitation is already archived")
	}
	i.ArchivedAt = &now
	return nil
}

// ArchivedAtFor is when the invitation was ignored, as viewerID may see
// it: the freelancer's side sees it; the client never learns that the
// freelancer ignored the invitation (R25), so to the client it is never
// archived.
func (i *Invitation) ArchivedAtFor(viewerID int64) *time.Time {
	if viewerID == i.ClientID && viewerID != i.FreelancerID {
		return nil
	}
	return i.ArchivedAt
}

// MarkSeen records the first time the invitee opened the invitation (R9).
// It reports whether anything changed.
func (i *Invitation) MarkSeen(now time.Time) bool {
	if i.SeenAt != nil {
		return false
	}
	i.SeenAt = &now
	i.UpdatedAt = now
	return true
}

// Withdraw is the client taking a pending invitation back. Errors: INVALID_STATE.
func (i *Invitation) Withdraw(now time.Time) error {
	if i.Status != InvitationPending {
		return Errorf(CodeInvalidState, "only a pending invitation can be withdrawn; this one is %s", strings.ToLower(string(i.Status)))
	}
	i.Status = InvitationWithdrawn
	i.WithdrawnAt = &now
	i.UpdatedAt = now
	return nil
}

// Limits on free text.
const (
	MaxMessageLen     = 5000
	MaxCoverLetterLen = 10000
	MaxAnswerLen      = 5000
	MaxAttachments    = 10
	MaxAttachmentSize = 25 << 20
)

// CheckText trims a free-text input (of white space and other invisible
// characters: a text of only those counts as empty) and checks its length.
// Empty is allowed unless required. (Well-formedness, CheckWellFormed, was
// checked before: at the API's edge.)
func CheckText(field, s string, max int, required bool) (string, error) {
	s = strings.TrimFunc(s, IsInvisible)
	if required && s == "" {
		return "", Invalid(field, "%s is required", lastPart(field))
	}
	if len([]rune(s)) > max {
		return "", Invalid(field, "%s must be at most %d characters", lastPart(field), max)
	}
	return s, nil
}

func lastPart(field string) string {
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		return field[i+1:]
	}
	return field
}

// SubmissionAgency decides the agency a proposal is submitted under when an
// invitation is accepted (R6, R8): see SubmissionAgencyFor, with the
// invitee as the freelancer and the invitation's agency.
func SubmissionAgency(inv *Invitation, actorID int64, requested *int64, actorRole, inviteeRole AgencyRole) (*int64, error) {
	if requested == nil && inv.AgencyID == nil {
		return nil, inv.AuthorizeAccept(actorID, nil)
	}
	return SubmissionAgencyFor(inv.FreelancerID, inv.AgencyID, actorID, requested, actorRole, inviteeRole)
}

// SubmissionAgencyFor decides the agency a proposal of freelancerID is
// submitted under, by actorID, whether it answers an invitation or not
// (R6, R29):
//   - requested is the agency the user asked to submit for (nil: none);
//   - fixed is the agency an invitation was sent through (nil: none); it
//     applies when none is requested, and another one cannot be;
//   - without an agency only the freelancer submits;
//   - with one, the freelancer must be its member, and someone other than
//     the freelancer must be its business manager.
//
// actorRole and freelancerRole are the two users' roles in that agency (""
// if not members). Errors: FORBIDDEN, VALIDATION_FAILED.
func SubmissionAgencyFor(freelancerID int64, fixed *int64, actorID int64, requested *int64, actorRole, freelancerRole AgencyRole) (*int64, error) {
	agency := fixed
	if requested != nil {
		if fixed != nil && *fixed != *requested {
			return nil, Invalid("input.agencyId", "the invitation was sent through another agency")
		}
		agency = requested
	}
	if agency == nil {
		if actorID != freelancerID {
			return nil, Errorf(CodeForbidden, "only the freelancer may submit this proposal (a business manager submits for a member with agencyId)")
		}
		return nil, nil
	}
	if freelancerRole == "" {
		return nil, Invalid("input.agencyId", "the freelancer is not a member of that agency")
	}
	if actorID != freelancerID && actorRole != RoleBusinessManager {
		return nil, Errorf(CodeForbidden, "only the freelancer or the agency's business manager may submit for the agency")
	}
	return agency, nil
}
