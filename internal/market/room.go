package market

import "time"

// RoomRole is why a user is in a message room (R14).
type RoomRole string

const (
	RoomClient          RoomRole = "CLIENT"
	RoomFreelancer      RoomRole = "FREELANCER"
	RoomBusinessManager RoomRole = "BUSINESS_MANAGER"
	RoomAgencyOwner     RoomRole = "AGENCY_OWNER"
)

// Room is the message room of an active proposal (R13).
type Room struct {
	ID         int64     `db:"id"`
	ProposalID int64     `db:"proposal_id"`
	ClientID   int64     `db:"client_id"`
	LastSeq    int64     `db:"last_seq"`
	CreatedAt  time.Time `db:"created_at"`
}

func (*Room) IsNode() {}

// RoomMember is a user's membership of a room, with their read position.
type RoomMember struct {
	RoomID      int64     `db:"room_id"`
	UserID      int64     `db:"user_id"`
	Role        RoomRole  `db:"role"`
	LastReadSeq int64     `db:"last_read_seq"`
	JoinedAt    time.Time `db:"joined_at"`
}

// Message is one message of a room. Seq is per room, gap-free (R15).
type Message struct {
	ID              int64     `db:"id"`
	RoomID          int64     `db:"room_id"`
	Seq             int64     `db:"seq"`
	SenderID        int64     `db:"sender_id"`
	Body            string    `db:"body"`
	ClientMessageID *string   `db:"client_message_id"`
	CreatedAt       time.Time `db:"created_at"`
}

func (*Message) IsNode() {}

// Message length limits (R15).
const (
	MinMessageBody = 1
	MaxMessageBody = 5000
)
