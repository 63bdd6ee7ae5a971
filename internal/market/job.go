package market

import (
	"strings"
	"time"
)

// ContractType of a job: hourly with a rate range, or fixed with a budget.
type ContractType string

const (
	ContractHourly ContractType = "HOURLY"
	ContractFixed  ContractType = "FIXED"
)

// InterviewMode says how a freelancer applies to a job.
type InterviewMode string

const (
	InterviewCoverLetter InterviewMode = "COVER_LETTER"
	InterviewInstant     InterviewMode = "INSTANT_INTERVIEW"
)

// JobStatus of a job.
type JobStatus string

const (
	JobOpen   JobStatus = "OPEN"
	JobClosed JobStatus = "CLOSED"
)

// JobCloseResult says why a job closed.
type JobCloseResult string

const (
	JobHired     JobCloseResult = "HIRED"
	JobNoHire    JobCloseResult = "NO_HIRE"
	JobCancelled JobCloseResult = "CANCELLED"
	JobExpired   JobCloseResult = "EXPIRED"
)

// Job is a client's job post.
type Job struct {
	ID               int64           `db:"id"`
	ClientID         int64           `db:"client_id"`
	Title            string          `db:"title"`
	Description      string          `db:"description"`
	Skills           []string        `db:"-"`
	ContractType     ContractType    `db:"contract_type"`
	HourlyMin        *Money          `db:"-"`
	HourlyMax        *Money          `db:"-"`
	Budget           *Money          `db:"-"`
	ConnectsRequired int             `db:"connects_required"`
	InterviewMode    InterviewMode   `db:"interview_mode"`
	Featured         bool            `db:"featured"`
	Status           JobStatus       `db:"status"`
	CloseResult      *JobCloseResult `db:"close_result"`
	CreatedAt        time.Time       `db:"created_at"`
	LastActivityAt   time.Time       `db:"last_activity_at"`
	ClosedAt         *time.Time      `db:"closed_at"`
}

func (*Job) IsNode() {}

// Question is a screening question of a job.
type Question struct {
	ID       int64  `db:"id"`
	JobID    int64  `db:"job_id"`
	Position int    `db:"position"`
	Text     string `db:"text"`
}

// IsOpen reports whether the job still takes invitations and proposals.
func (j *Job) IsOpen() bool { return j.Status == JobOpen }

// RequireOpen returns INVALID_STATE for a closed job.
func (j *Job) RequireOpen() error {
	if !j.IsOpen() {
		return Errorf(CodeInvalidState, "the job is closed (%s)", derefResult(j.CloseResult))
	}
	return nil
}

func derefResult(r *JobCloseResult) JobCloseResult {
	if r == nil {
		return ""
	}
	return *r
}

// OfferedTerms are the terms a freelancer accepts "as offered": the top of
// an hourly job's rate range, or a fixed job's budget.
func (j *Job) OfferedTerms() Terms {
	if j.ContractType == ContractHourly {
		return Terms{HourlyRate: j.HourlyMax}
	}
	return Terms{FixedPrice: j.Budget}
}

// Limits on job posts.
const (
	MaxTitleLen       = 200
	MaxDescriptionLen = 10000
	MaxQuestions      = 10
	MaxQuestionLen    = 500
	MaxSkills         = 30
	MaxConnects       = 100
)

// NewJob is what a client submits to post a job.
type NewJob struct {
	Title            string
	Description      string
	Skills           []string
	ContractType     ContractType
	HourlyMin        *Money
	HourlyMax        *Money
	Budget           *Money
	ConnectsRequired int
	InterviewMode    InterviewMode
	Questions        []string
	Featured         bool
}

// Validate checks a new job post and normalizes its skills.
func (n *NewJob) Validate() error {
	n.Title = strings.TrimSpace(n.Title)
	if n.Title == "" || len(n.Title) > MaxTitleLen {
		return Invalid("input.title", "a title of 1 to %d characters is required", MaxTitleLen)
	}
	n.Description = strings.TrimSpace(n.Description)
	if n.Description == "" || len(n.Description) > MaxDescriptionLen {
		return Invalid("input.description", "a description of 1 to %d characters is required", MaxDescriptionLen)
	}
	skills, err := NormalizeSkills("input.skills", n.Skills)
	if err != nil {
		return err
	}
	n.Skills = skills
	switch n.ContractType {
	case ContractHourly:
		if n.HourlyMin == nil || n.HourlyMax == nil {
			return Invalid("input.hourlyRange", "an hourly job needs a rate range")
		}
		if err := CheckHourlyRate("input.hourlyRange.min", *n.HourlyMin); err != nil {
			return err
		}
		if err := CheckHourlyRate("input.hourlyRange.max", *n.HourlyMax); err != nil {
			return err
		}
		if n.HourlyMax.Minor < n.HourlyMin.Minor {
			return Invalid("input.hourlyRange", "the rate range's min must not be above its max")
		}
		if n.Budget != nil {
			return Invalid("input.budget", "an hourly job has a rate range, not a budget")
		}
	case ContractFixed:
		if n.Budget == nil {
			return Invalid("input.budget", "a fixed-price job needs a budget")
		}
		if err := CheckFixedPrice("input.budget", *n.Budget); err != nil {
			return err
		}
		if n.HourlyMin != nil || n.HourlyMax != nil {
			return Invalid("input.hourlyRange", "a fixed-price job has a budget, not a rate range")
		}
	default:
		return Invalid("input.contractType", "unknown contract type %q", n.ContractType)
	}
	if n.ConnectsRequired < 0 || n.ConnectsRequired > MaxConnects {
		return Invalid("input.connectsRequired", "connectsRequired must be between 0 and %d", MaxConnects)
	}
	if n.InterviewMode == "" {
		n.InterviewMode = InterviewCoverLetter
	}
	if n.InterviewMode != InterviewCoverLetter && n.InterviewMode != InterviewInstant {
		return Invalid("input.interviewMode", "unknown interview mode %q", n.InterviewMode)
	}
	if len(n.Questions) > MaxQuestions {
		return Invalid("input.questions", "at most %d screening questions", MaxQuestions)
	}
	for i, q := range n.Questions {
		q = strings.TrimSpace(q)
		if q == "" || len(q) > MaxQuestionLen {
			return Invalid("input.questions", "question %d must have 1 to %d characters", i+1, MaxQuestionLen)
		}
		n.Questions[i] = q
	}
	if n.InterviewMode == InterviewInstant && len(n.Questions) == 0 {
		return Invalid("input.questions", "an instant-interview job needs at least one screening question")
	}
	return nil
}

// NormalizeSkills trims, lower-cases and de-duplicates skills, keeping order.
func NormalizeSkills(field string, in []string) ([]string, error) {
	if len(in) > MaxSkills {
		return nil, Invalid(field, "at most %d skills", MaxSkills)
	}
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.ToLower(strings.TrimSpace(s))
		if s == "" || len(s) > 50 {
			return nil, Invalid(field, "each skill must have 1 to 50 characters")
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, nil
}

// DefaultJobIdlePeriod is how long a job may go without client activity
// before the platform closes it as EXPIRED (R2; the period is configuration).
const DefaultJobIdlePeriod = 30 * 24 * time.Hour

// AuthorizeClient checks that userID is the job's client: only they see its
// invitations and proposals and act on them. Errors: FORBIDDEN.
func (j *Job) AuthorizeClient(userID int64, action string) error {
	if userID != j.ClientID {
		return Errorf(CodeForbidden, "only the job's client may %s", action)
	}
	return nil
}

// CheckClientClose decides whether the client may close the job with result
// (R1). hired says whether a contract exists on the job (someone was hired).
//   - EXPIRED is the platform's (R2), never a client's choice;
//   - the job must be open;
//   - HIRED needs a contract on the job; NO_HIRE and CANCELLED are refused
//     once someone was hired (close it as HIRED).
//
// Errors: VALIDATION_FAILED, INVALID_STATE.
func (j *Job) CheckClientClose(result JobCloseResult, hired bool) error {
	switch result {
	case JobHired, JobNoHire, JobCancelled:
	case JobExpired:
		return Invalid("input.result", "EXPIRED is set by the platform when a job has no client activity for a while; close it as HIRED, NO_HIRE or CANCELLED")
	default:
		return Invalid("input.result", "unknown close result %q", result)
	}
	if err := j.RequireOpen(); err != nil {
		return err
	}
	switch {
	case result == JobHired && !hired:
		return Invalid("input.result", "nobody was hired on this job yet (no contract): close it as NO_HIRE or CANCELLED")
	case result == JobCancelled && hired:
		return Errorf(CodeInvalidState, "someone was hired on this job: it can no longer be cancelled; close it as HIRED")
	case result == JobNoHire && hired:
		return Invalid("input.result", "someone was hired on this job (a contract exists): close it as HIRED")
	}
	return nil
}

// Close closes an open job with a result.
func (j *Job) Close(now time.Time, result JobCloseResult) {
	j.Status = JobClosed
	j.CloseResult = &result
	j.ClosedAt = &now
}

// IsIdle reports whether an open job has had no client activity for idle as
// of now, so that the platform expires it (R2).
func (j *Job) IsIdle(now time.Time, idle time.Duration) bool {
	return j.IsOpen() && j.LastActivityAt.Before(now.Add(-idle))
}

// RefundsOnClose reports whether closing with result refunds the Connects of
// the job's proposals (R21: only when the client cancels).
func RefundsOnClose(result JobCloseResult) bool { return result == JobCancelled }
