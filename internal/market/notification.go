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
)

// SubjectType is the kind of thing a notification links to.
type SubjectType string

const (
	SubjectInvitation SubjectType = "INVITATION"
	SubjectProposal   SubjectType = "PROPOSAL"
	SubjectRoom       SubjectType = "ROOM"
	SubjectOffer      SubjectType = "OFFER"
	SubjectContract   SubjectType = "CONTRACT"
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
