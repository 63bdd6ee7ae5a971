package market

import "time"

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
