package market

import "time"

// Node is anything the API can address with a global id.
type Node interface{ IsNode() }

// User is a person with an account: a client, a freelancer, or both.
type User struct {
	ID           int64  `db:"id"`
	Email        string `db:"email"`
	Name         string `db:"name"`
	PasswordHash string `db:"password_hash"`
	// TokenGeneration is carried by the user's tokens; moving it on
	// revokes all of them.
	TokenGeneration int64     `db:"token_generation"`
	CreatedAt       time.Time `db:"created_at"`
}

func (*User) IsNode() {}

// Availability of a freelancer for new work.
type Availability string

const (
	AvailabilityAvailable   Availability = "AVAILABLE"
	AvailabilityPartTime    Availability = "PART_TIME"
	AvailabilityUnavailable Availability = "UNAVAILABLE"
)

// FreelancerProfile is what a freelancer shows to clients and what matching reads.
type FreelancerProfile struct {
	UserID       int64        `db:"user_id"`
	Title        string       `db:"title"`
	Overview     string       `db:"overview"`
	Skills       []string     `db:"-"`
	HourlyRate   *Money       `db:"-"`
	Availability Availability `db:"availability"`
	UpdatedAt    time.Time    `db:"updated_at"`
}

// AgencyRole is a member's one role in an agency.
type AgencyRole string

const (
	RoleOwner           AgencyRole = "OWNER"
	RoleBusinessManager AgencyRole = "BUSINESS_MANAGER"
	RoleMember          AgencyRole = "MEMBER"
)

// IsStaff reports whether the role may see the agency's invitations,
// proposals and Connects (owner and business manager).
func (r AgencyRole) IsStaff() bool { return r == RoleOwner || r == RoleBusinessManager }

// Agency is an organization of freelancers with a shared Connects balance.
type Agency struct {
	ID        int64     `db:"id"`
	Name      string    `db:"name"`
	CreatedAt time.Time `db:"created_at"`
}

func (*Agency) IsNode() {}

// AgencyMember is one membership.
type AgencyMember struct {
	AgencyID int64      `db:"agency_id"`
	UserID   int64      `db:"user_id"`
	Role     AgencyRole `db:"role"`
}

// Actor records who made a state change.
type Actor string

const (
	ActorClient     Actor = "CLIENT"
	ActorFreelancer Actor = "FREELANCER"
	ActorPlatform   Actor = "PLATFORM"
)

// ReasonKind says which list a reason belongs to.
type ReasonKind string

const (
	ReasonInvitationDecline  ReasonKind = "INVITATION_DECLINE"
	ReasonProposalWithdrawal ReasonKind = "PROPOSAL_WITHDRAWAL"
	ReasonProposalDecline    ReasonKind = "PROPOSAL_DECLINE"
)

// Reason is an entry of a reason list (data, not an enum: R7).
type Reason struct {
	ID              int64      `db:"id"`
	Kind            ReasonKind `db:"kind"`
	Code            string     `db:"code"`
	Label           string     `db:"label"`
	RequiresMessage bool       `db:"requires_message"`
	Position        int        `db:"position"`
	Active          bool       `db:"active"`
}

// LedgerKind is the kind of a Connects ledger entry.
type LedgerKind string

const (
	LedgerGrant       LedgerKind = "GRANT"
	LedgerPurchase    LedgerKind = "PURCHASE"
	LedgerApplication LedgerKind = "APPLICATION"
	LedgerRefund      LedgerKind = "REFUND"
)

// ConnectsOwner is whose balance an entry belongs to: a freelancer or an agency.
type ConnectsOwner struct {
	UserID   int64
	AgencyID int64
}

// LedgerEntry is one append-only change of a Connects balance.
type LedgerEntry struct {
	ID         int64      `db:"id"`
	UserID     *int64     `db:"user_id"`
	AgencyID   *int64     `db:"agency_id"`
	Kind       LedgerKind `db:"kind"`
	Amount     int        `db:"amount"`
	ProposalID *int64     `db:"proposal_id"`
	Note       string     `db:"note"`
	CreatedAt  time.Time  `db:"created_at"`
}

func (*LedgerEntry) IsNode() {}

func (*Reason) IsNode() {}
