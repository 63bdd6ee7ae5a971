package market

import (
	"math"
	"strings"
	"time"
)

// Matching (R22): which freelancers a job's recommendations and a featured
// job's AUTOMATIC invitations go to, and the numbers shown with them.
//
// The store ranks in SQL, in this order:
//  1. skills overlap: how many of the job's skills the profile has (more first);
//     a profile must share at least one skill with the job to be a candidate;
//  2. rate within the job's budget (see MatchCriteriaFor);
//  3. availability: AVAILABLE, then PART_TIME, then UNAVAILABLE;
//  4. the user id, ascending, so that equal candidates keep a stable order.
//
// The client themself and freelancers who blocked the client are never
// candidates; automatic invitations also skip whoever is already invited.

// DefaultAutoInvites is how many AUTOMATIC invitations featuring a job sends
// when the configuration leaves the number at 0.
const DefaultAutoInvites = 10

// MaxRecommendations caps recommendedFreelancers' first.
const MaxRecommendations = 100

// DefaultRecommendations is how many candidates recommendedFreelancers
// returns when first is left out.
const DefaultRecommendations = 10

// RecommendationCount is how many candidates a request for first asks for:
// DefaultRecommendations when first is nil, else first, which must be
// between 0 and MaxRecommendations. Errors: VALIDATION_FAILED.
func RecommendationCount(first *int) (int, error) {
	if first == nil {
		return DefaultRecommendations, nil
	}
	if *first < 0 || *first > MaxRecommendations {
		return 0, Invalid("first", "first must be between 0 and %d", MaxRecommendations)
	}
	return *first, nil
}

// AvailabilityOrder lists the availabilities best first, as matching ranks them.
var AvailabilityOrder = []Availability{AvailabilityAvailable, AvailabilityPartTime, AvailabilityUnavailable}

// MatchCriteria is what ranking freelancers for a job reads from the job.
type MatchCriteria struct {
	JobID    int64
	ClientID int64
	// Skills are the job's skills, in the job's order.
	Skills []string
	// MaxRate is the highest hourly rate within the budget; nil means that
	// every profile counts as within the budget.
	MaxRate *Money
}

// MatchCriteriaFor returns the criteria for ranking freelancers for a job.
// Within the budget means: for an HOURLY job, an hourly rate at most the
// top of the job's range (a cheaper freelancer is within budget too; a
// profile without a rate is not); for a FIXED job, any profile, since an
// hourly rate says nothing about a fixed price.
func MatchCriteriaFor(j *Job) MatchCriteria {
	c := MatchCriteria{JobID: j.ID, ClientID: j.ClientID, Skills: j.Skills}
	if j.ContractType == ContractHourly {
		c.MaxRate = j.HourlyMax
	}
	return c
}

// Candidate is a freelancer ranked for a job.
type Candidate struct {
	FreelancerID int64
	// MatchedSkills are the job's skills the profile has, in the job's order.
	MatchedSkills  []string
	RateFits       bool
	Availability   Availability
	AlreadyInvited bool
	// Score is MatchScore of the above.
	Score float64
}

// availabilityPoints weighs availability in the match score.
func availabilityPoints(a Availability) float64 {
	switch a {
	case AvailabilityAvailable:
		return 1
	case AvailabilityPartTime:
		return 0.5
	}
	return 0
}

// MatchScore is how well a profile matches a job, from 0 to 1:
//
//	(matched + 0.5·rateFits + 0.25·availability) / (jobSkills + 0.75)
//
// where matched is the number of the job's skills the profile has,
// jobSkills the number of the job's skills, rateFits 1 when the rate is
// within the budget, and availability 1 (AVAILABLE), 0.5 (PART_TIME) or 0
// (UNAVAILABLE). The budget and availability terms together add at most
// 0.75, less than one more matched skill, and the budget term outweighs the
// availability term, so a higher score always means a higher rank. A
// profile with every skill, within budget and available scores 1. The score
// is rounded to four decimals.
func MatchScore(matched, jobSkills int, rateFits bool, a Availability) float64 {
	rate := 0.0
	if rateFits {
		rate = 1
	}
	s := (float64(matched) + 0.5*rate + 0.25*availabilityPoints(a)) / (float64(jobSkills) + 0.75)
	return math.Round(s*1e4) / 1e4
}

// Feature marks an open job featured (R22). It reports whether the job
// became featured just now: the automatic invitations are sent then, once,
// and featuring a job that is featured already changes nothing.
// Errors: INVALID_STATE when the job is closed.
func (j *Job) Feature() (bool, error) {
	if err := j.RequireOpen(); err != nil {
		return false, err
	}
	if j.Featured {
		return false, nil
	}
	j.Featured = true
	return true, nil
}

// AutoInvites returns how many automatic invitations featuring sends for a
// configured number (0 or less: DefaultAutoInvites).
func AutoInvites(configured int) int {
	if configured <= 0 {
		return DefaultAutoInvites
	}
	return configured
}

// Limits on freelancer profiles.
const (
	MaxProfileTitleLen = 200
	MaxOverviewLen     = 5000
)

// ProfileUpdate is an edit of a freelancer profile: nil fields are left unchanged.
type ProfileUpdate struct {
	Title        *string
	Overview     *string
	Skills       []string // nil: unchanged; empty: no skills
	HourlyRate   *Money
	Availability *Availability
}

// Validate checks and normalizes an edit (texts trimmed, skills lower-cased
// and de-duplicated). Errors: VALIDATION_FAILED with the input field.
func (u *ProfileUpdate) Validate() error {
	if u.Title != nil {
		t := strings.TrimSpace(*u.Title)
		if t == "" || len(t) > MaxProfileTitleLen {
			return Invalid("input.title", "a title of 1 to %d characters is required", MaxProfileTitleLen)
		}
		u.Title = &t
	}
	if u.Overview != nil {
		o := strings.TrimSpace(*u.Overview)
		if len(o) > MaxOverviewLen {
			return Invalid("input.overview", "the overview must have at most %d characters", MaxOverviewLen)
		}
		u.Overview = &o
	}
	if u.Skills != nil {
		s, err := NormalizeSkills("input.skills", u.Skills)
		if err != nil {
			return err
		}
		u.Skills = s
	}
	if u.HourlyRate != nil {
		if err := CheckHourlyRate("input.hourlyRate", *u.HourlyRate); err != nil {
			return err
		}
	}
	if u.Availability != nil {
		switch *u.Availability {
		case AvailabilityAvailable, AvailabilityPartTime, AvailabilityUnavailable:
		default:
			return Invalid("input.availability", "unknown availability %q", *u.Availability)
		}
	}
	return nil
}

// Apply writes a validated edit onto a profile.
func (u *ProfileUpdate) Apply(p *FreelancerProfile, now time.Time) {
	if u.Title != nil {
		p.Title = *u.Title
	}
	if u.Overview != nil {
		p.Overview = *u.Overview
	}
	if u.Skills != nil {
		p.Skills = u.Skills
	}
	if u.HourlyRate != nil {
		r := *u.HourlyRate
		p.HourlyRate = &r
	}
	if u.Availability != nil {
		p.Availability = *u.Availability
	}
	p.UpdatedAt = now
}

// NewProfile is the profile a user starts from on their first edit.
func NewProfile(userID int64) *FreelancerProfile {
	return &FreelancerProfile{UserID: userID, Skills: []string{}, Availability: AvailabilityAvailable}
}

// ResponseBadge summarizes how fast a freelancer answers invitations (R9).
type ResponseBadge string

const (
	BadgeWithin24Hours ResponseBadge = "WITHIN_24_HOURS"
	BadgeWithin3Days   ResponseBadge = "WITHIN_3_DAYS"
	BadgeOver3Days     ResponseBadge = "OVER_3_DAYS"
)

// Invitation statistics rules (R4, R9).
const (
	// MinResponsesForBadge is how many responses a badge needs: fewer say
	// too little about a freelancer.
	MinResponsesForBadge = 3
	// UncountedWithdrawalWindow: invitations the client withdrew within this
	// time of sending them do not count at all (the freelancer had no fair
	// chance to answer).
	UncountedWithdrawalWindow = 24 * time.Hour
)

// BadgeFor returns the response badge for a number of responses and their
// median response time: none with fewer than MinResponsesForBadge
// responses; else WITHIN_24_HOURS for a median of at most 24 hours,
// WITHIN_3_DAYS for at most 72 hours, OVER_3_DAYS beyond.
func BadgeFor(responded int, median time.Duration) *ResponseBadge {
	if responded < MinResponsesForBadge {
		return nil
	}
	b := BadgeOver3Days
	switch {
	case median <= 24*time.Hour:
		b = BadgeWithin24Hours
	case median <= 72*time.Hour:
		b = BadgeWithin3Days
	}
	return &b
}

// InvitationStats are a freelancer's public invitation statistics (R9).
// Received counts every invitation to them except those the client withdrew
// within UncountedWithdrawalWindow; Responded those of them accepted or
// declined (ignoring, which archives, is not a response; nor is a
// withdrawal or an expiry); the median is over the responses' times from
// receipt to answer.
type InvitationStats struct {
	UserID    int64
	Received  int
	Responded int
	// MedianResponseSeconds is nil without responses.
	MedianResponseSeconds *float64
}

// ResponseRate is Responded / Received, nil when nothing was received.
func (s *InvitationStats) ResponseRate() *float64 {
	if s.Received == 0 {
		return nil
	}
	r := math.Round(float64(s.Responded)/float64(s.Received)*1e4) / 1e4
	return &r
}

// MedianResponseTime is the median response time in whole seconds, nil
// without responses.
func (s *InvitationStats) MedianResponseTime() *int {
	if s.MedianResponseSeconds == nil || s.Responded == 0 {
		return nil
	}
	n := int(math.Round(*s.MedianResponseSeconds))
	return &n
}

// Badge is the response badge, nil without enough data (see BadgeFor).
func (s *InvitationStats) Badge() *ResponseBadge {
	m := s.MedianResponseTime()
	if m == nil {
		return nil
	}
	return BadgeFor(s.Responded, time.Duration(*m)*time.Second)
}
