package market

import (
	"strings"
	"time"
)

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

// RoomMembers decides who is in the room of a proposal (R14): the client and
// the proposal's freelancer; for an agency proposal also the agency's
// business managers (all of them, when it has several), or, only when the
// agency has no business manager, its owner. When the freelancer is a
// business manager, the room holds only them and the client. agencyMembers
// are the members of the proposal's agency (ignored unless
// isAgencyProposal). Each user appears once; the result holds UserID and Role
// only, the client first, then the freelancer, then agency staff in the order
// given.
func RoomMembers(clientID, freelancerID int64, agencyMembers []AgencyMember, isAgencyProposal bool) []RoomMember {
	out := []RoomMember{{UserID: clientID, Role: RoomClient}}
	add := func(userID int64, role RoomRole) {
		for _, m := range out {
			if m.UserID == userID {
				return
			}
		}
		out = append(out, RoomMember{UserID: userID, Role: role})
	}
	add(freelancerID, RoomFreelancer)
	if !isAgencyProposal {
		return out
	}
	var managers, owners []int64
	for _, m := range agencyMembers {
		switch m.Role {
		case RoleBusinessManager:
			if m.UserID == freelancerID {
				return out // the business manager submitted: only them and the client
			}
			managers = append(managers, m.UserID)
		case RoleOwner:
			owners = append(owners, m.UserID)
		}
	}
	if len(managers) > 0 {
		for _, id := range managers {
			add(id, RoomBusinessManager)
		}
		return out
	}
	for _, id := range owners {
		add(id, RoomAgencyOwner)
	}
	return out
}

// RequireMessageable checks that the client may still respond to the
// proposal with a message (R13): it is SUBMITTED, ACTIVE or OFFERED.
// Errors: INVALID_STATE.
func RequireMessageable(p *Proposal) error {
	switch p.Status {
	case ProposalSubmitted, ProposalActive, ProposalOffered:
		return nil
	}
	return Errorf(CodeInvalidState, "the proposal is %s: the client can no longer respond to it", strings.ToLower(string(p.Status)))
}

// ActivateForRoom makes a SUBMITTED proposal ACTIVE when its room opens (R10,
// R13) and reports whether the status changed; later states are kept.
func ActivateForRoom(p *Proposal, now time.Time) bool {
	if p.Status != ProposalSubmitted {
		return false
	}
	p.Status = ProposalActive
	p.UpdatedAt = now
	return true
}

// CheckMessageBody trims a message body and checks its length: 1 to 5,000
// characters (R15). Errors: VALIDATION_FAILED.
func CheckMessageBody(field, body string) (string, error) {
	return CheckText(field, body, MaxMessageBody, true)
}

// MaxClientMessageIDLen bounds the client-generated id of a message.
const MaxClientMessageIDLen = 64

// CheckClientMessageID checks a client-generated message id: 1 to 64
// letters, digits, '-' or '_' (a UUID, a counter), so that it can carry no
// text; blank means none. Errors: VALIDATION_FAILED.
func CheckClientMessageID(field string, id *string) (*string, error) {
	if id == nil {
		return nil, nil
	}
	s := strings.TrimSpace(*id)
	if s == "" {
		return nil, nil
	}
	if len(s) > MaxClientMessageIDLen {
		return nil, Invalid(field, "%s must be at most %d characters", lastPart(field), MaxClientMessageIDLen)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return nil, Invalid(field, "%s may only contain letters, digits, '-' and '_'", lastPart(field))
		}
	}
	return &s, nil
}

// FindMember returns the user's membership among members, or nil.
func FindMember(members []*RoomMember, userID int64) *RoomMember {
	for _, m := range members {
		if m.UserID == userID {
			return m
		}
	}
	return nil
}

// ReadTarget is where a member's read position moves when they mark a room
// read: to requested, or to the newest message when requested is nil. It
// never moves backwards. Errors: VALIDATION_FAILED (field "input.seq") for a
// negative seq or one beyond the room's last message.
func ReadTarget(lastSeq, current int64, requested *int64) (int64, error) {
	target := lastSeq
	if requested != nil {
		target = *requested
		if target < 0 {
			return 0, Invalid("input.seq", "seq must not be negative")
		}
		if target > lastSeq {
			return 0, Invalid("input.seq", "seq %d is beyond the room's last message (%d)", target, lastSeq)
		}
	}
	return max(target, current), nil
}

// UnreadCount is how many messages of a room a member has not read: those
// after their read position (their own messages move it, so they count as read).
func UnreadCount(lastSeq, lastReadSeq int64) int {
	return int(max(lastSeq-lastReadSeq, 0))
}

// MessagePageRequest asks for a page of a room's history (R15). Forwards
// (first/after) it starts from the oldest message after AfterSeq; backwards
// (last/before) from the newest message before BeforeSeq. 0 means no bound.
type MessagePageRequest struct {
	Limit     int
	Backward  bool
	AfterSeq  int64
	BeforeSeq int64
}

// NewMessagePageRequest validates first/last and builds a request: first and
// last cannot be combined; each is capped at MaxPageSize. Without either, the
// page goes backwards from before when before is given, else forwards from
// the oldest, DefaultPageSize long. Errors: VALIDATION_FAILED.
func NewMessagePageRequest(first *int, afterSeq int64, last *int, beforeSeq int64) (MessagePageRequest, error) {
	if first != nil && last != nil {
		return MessagePageRequest{}, Invalid("last", "give first (forwards) or last (backwards), not both")
	}
	r := MessagePageRequest{Limit: DefaultPageSize, AfterSeq: afterSeq, BeforeSeq: beforeSeq}
	switch {
	case first != nil:
		if *first < 0 || *first > MaxPageSize {
			return r, Invalid("first", "first must be between 0 and %d", MaxPageSize)
		}
		r.Limit = *first
	case last != nil:
		if *last < 0 || *last > MaxPageSize {
			return r, Invalid("last", "last must be between 0 and %d", MaxPageSize)
		}
		r.Limit, r.Backward = *last, true
	default:
		r.Backward = beforeSeq > 0
	}
	return r, nil
}

// MessagePage is one page of a room's history, in ascending seq order.
type MessagePage struct {
	Items       []*Message
	HasNext     bool // messages exist after the page
	HasPrevious bool // messages exist before the page
	Total       int
}

// Page cuts the up to Limit+1 messages fetched for r (ascending seq, all with
// seq <= lastSeq) to a page. Sequence numbers run 1..lastSeq without gaps, so
// what lies beyond the fetched window follows from the bounds alone.
func (r MessagePageRequest) Page(fetched []*Message, lastSeq int64) MessagePage {
	p := MessagePage{Items: fetched, Total: int(lastSeq)}
	over := len(fetched) > r.Limit
	if r.Backward {
		if over {
			p.Items = fetched[len(fetched)-r.Limit:]
		}
		p.HasPrevious = over
		p.HasNext = r.BeforeSeq > 0 && r.BeforeSeq <= lastSeq
		return p
	}
	if over {
		p.Items = fetched[:r.Limit]
	}
	p.HasNext = over
	p.HasPrevious = r.AfterSeq > 0 && lastSeq > 0
	return p
}

// RoomKey is the position of a room in a member's room list, most recently
// active first: the time of its last message (or its creation), then its id.
type RoomKey struct {
	ActiveAt time.Time
	ID       int64
}

// RoomListItem is a room with its list position.
type RoomListItem struct {
	Room *Room
	Key  RoomKey
}

// RoomPageRequest asks for at most Limit rooms after (older than) After, or
// from the most recently active when After is nil.
type RoomPageRequest struct {
	Limit int
	After *RoomKey
}

// CheckReplay decides a message sent with a clientMessageId its sender has
// used before in the room: with the same body it is a retry (the stored
// message is the answer and nothing changes); with another body it is a
// different message reusing the id, refused rather than silently answered
// with the first one. Errors: CONFLICT on field.
func CheckReplay(field string, stored *Message, body string) error {
	if stored.Body == body {
		return nil
	}
	return &Error{Code: CodeConflict, Field: field,
		Message: "this clientMessageId was already used for another message in this room: use a new id for a new message"}
}
