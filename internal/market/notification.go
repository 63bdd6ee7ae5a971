package market

import "time"

// NotificationKind is what a bell notification reports (R23).
type NotificationKind string

const (
	NotifyInvitationReceived  NotificationKind = "INVITATION_RECEIVED"
	NotifyInvitationWithdrawn NotificationKind = "INVITATION_WITHDRAWN"
	NotifyInvitationAccepted  NotificationKind = "INVITATION_ACCEPTED"
	NotifyInvitationDeclined  NotificationKind = "INVITATION_DECLINED"
	NotifyProposalViewed      NotificationKind = "PROPOSAL_VIEWED"
	NotifyProposalActivated   NotificationKind = "PROPOSAL_ACTIVATED"
	NotifyMessageReceived     NotificationKind = "MESSAGE_RECEIVED"
	NotifyOfferReceived       NotificationKind = "OFFER_RECEIVED"
	NotifyOfferAccepted       NotificationKind = "OFFER_ACCEPTED"
	NotifyOfferDeclined       NotificationKind = "OFFER_DECLINED"
	NotifyBonusPaid           NotificationKind = "BONUS_PAID"
	NotifyProposalDeclined    NotificationKind = "PROPOSAL_DECLINED"

	NotifyAgencyInvitationReceived NotificationKind = "AGENCY_INVITATION_RECEIVED"
	NotifyAgencyInvitationAccepted NotificationKind = "AGENCY_INVITATION_ACCEPTED"
	NotifyAgencyInvitationDeclined NotificationKind = "AGENCY_INVITATION_DECLINED"
	NotifyAgencyRoleChanged        NotificationKind = "AGENCY_ROLE_CHANGED"
	NotifyAgencyMemberRemoved      NotificationKind = "AGENCY_MEMBER_REMOVED"
	NotifyAgencyMemberLeft         NotificationKind = "AGENCY_MEMBER_LEFT"
	NotifyProposalSubmitted        NotificationKind = "PROPOSAL_SUBMITTED"
)

// SubjectType is the kind of thing a notification links to.
type SubjectType string

const (
	SubjectInvitation SubjectType = "INVITATION"
	SubjectProposal   SubjectType = "PROPOSAL"
	SubjectRoom       SubjectType = "ROOM"
	SubjectOffer      SubjectType = "OFFER"
	SubjectContract   SubjectType = "CONTRACT"

	SubjectAgencyInvitation SubjectType = "AGENCY_INVITATION"
	SubjectAgency           SubjectType = "AGENCY"
)

// Notification is one entry of a user's bell feed. Seq is per user, gap-free.
type Notification struct {
	ID          int64            `db:"id"`
	UserID      int64            `db:"user_id"`
	Seq         int64            `db:"seq"`
	Kind        NotificationKind `db:"kind"`
	SubjectType SubjectType      `db:"subject_type"`
	SubjectID   int64            `db:"subject_id"`
	ActorID     *int64           `db:"actor_id"`
	Title       string           `db:"title"`
	ReadAt      *time.Time       `db:"read_at"`
	CreatedAt   time.Time        `db:"created_at"`
}

func (*Notification) IsNode() {}

// NewNotification is a notification to write.
type NewNotification struct {
	UserID      int64
	Kind        NotificationKind
	SubjectType SubjectType
	SubjectID   int64
	ActorID     *int64
	Title       string
}

// MaxMarkRead caps how many notifications one markNotificationsRead names.
const MaxMarkRead = MaxPageSize

// CheckMarkRead validates what to mark read (R23): exactly one of a
// non-empty list of ids (nil: not given) or all. Errors: VALIDATION_FAILED.
func CheckMarkRead(ids []int64, all bool) error {
	switch {
	case ids != nil && all:
		return Invalid("input", "give either ids or all: true, not both")
	case ids == nil && !all:
		return Invalid("input.ids", "give the ids of the notifications to mark read, or all: true")
	case ids != nil && len(ids) == 0:
		return Invalid("input.ids", "give at least one notification id, or all: true instead of ids")
	case len(ids) > MaxMarkRead:
		return Invalid("input.ids", "at most %d notifications at once; use all: true to mark every one read", MaxMarkRead)
	}
	return nil
}

// MarkRead marks the notification read at now. One already read keeps the
// time it was first read. It reports whether anything changed.
func (n *Notification) MarkRead(now time.Time) bool {
	if n.ReadAt != nil {
		return false
	}
	n.ReadAt = &now
	return true
}
