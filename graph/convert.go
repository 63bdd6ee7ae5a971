package graph

import (
	"context"
	"fmt"

	"github.com/hiregraph/hiregraph/graph/model"
	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

// viewer returns the signed-in user's id. Errors: UNAUTHENTICATED.
func viewer(ctx context.Context) (int64, error) { return auth.ViewerID(ctx) }

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func moneyIn(field string, in *model.MoneyInput) (*market.Money, error) {
	if in == nil {
		return nil, nil
	}
	currency := market.DefaultCurrency // left out, or null
	if in.Currency != nil {
		currency = *in.Currency
	}
	m, err := market.ParseMoney(field, in.Amount, currency)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

func termsIn(field string, in *model.TermsInput) (*market.Terms, error) {
	if in == nil {
		return nil, nil
	}
	hourly, err := moneyIn(field+".hourlyRate", in.HourlyRate)
	if err != nil {
		return nil, err
	}
	fixed, err := moneyIn(field+".fixedPrice", in.FixedPrice)
	if err != nil {
		return nil, err
	}
	return &market.Terms{HourlyRate: hourly, FixedPrice: fixed, EstimatedDuration: in.EstimatedDuration}, nil
}

func answersIn(in []*model.AnswerInput) ([]market.Answer, error) {
	out := make([]market.Answer, len(in))
	for i, a := range in {
		qid, err := decodeID(fmt.Sprintf("input.answers.%d.questionId", i), kindQuestion, a.QuestionID)
		if err != nil {
			return nil, err
		}
		out[i] = market.Answer{QuestionID: qid, Text: a.Answer}
	}
	return out, nil
}

func attachmentsIn(in []*model.AttachmentInput) []market.Attachment {
	out := make([]market.Attachment, len(in))
	for i, a := range in {
		out[i] = market.Attachment{Name: a.Name, ContentType: a.ContentType, Size: int64(a.Size), URL: a.URL}
	}
	return out
}

func newJobIn(in model.PostJobInput) (market.NewJob, error) {
	n := market.NewJob{
		Title: in.Title, Description: in.Description, Skills: in.Skills, ContractType: in.ContractType,
		ConnectsRequired: in.ConnectsRequired, Questions: in.Questions,
	}
	if in.InterviewMode != nil {
		n.InterviewMode = *in.InterviewMode
	}
	if in.Featured != nil {
		n.Featured = *in.Featured
	}
	if in.HourlyRange != nil {
		var err error
		if n.HourlyMin, err = moneyIn("input.hourlyRange.min", in.HourlyRange.Min); err != nil {
			return n, err
		}
		if n.HourlyMax, err = moneyIn("input.hourlyRange.max", in.HourlyRange.Max); err != nil {
			return n, err
		}
	}
	budget, err := moneyIn("input.budget", in.Budget)
	n.Budget = budget
	return n, err
}

// withID runs a use case that takes the viewer and one global id (of kind,
// given in input field): the shape of most single-object queries and
// mutations. Errors: UNAUTHENTICATED, VALIDATION_FAILED, and fn's.
func withID[T any](ctx context.Context, field, kind, id string, fn func(ctx context.Context, viewerID, id int64) (T, error)) (T, error) {
	var zero T
	v, err := viewer(ctx)
	if err != nil {
		return zero, err
	}
	n, err := decodeID(field, kind, id)
	if err != nil {
		return zero, err
	}
	return fn(ctx, v, n)
}

// withReason runs a use case that ends a proposal with a reason picked from
// a list: it takes the viewer, the proposal and reason ids and a message.
// Errors: UNAUTHENTICATED, VALIDATION_FAILED, and fn's.
func withReason(ctx context.Context, proposalID, reasonID string, message *string, fn func(ctx context.Context, viewerID int64, in hiring.ReasonInput) (*market.Proposal, error)) (*market.Proposal, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	pid, err := decodeID("input.proposalId", kindProposal, proposalID)
	if err != nil {
		return nil, err
	}
	rid, err := decodeID("input.reasonId", kindReason, reasonID)
	if err != nil {
		return nil, err
	}
	return fn(ctx, v, hiring.ReasonInput{ProposalID: pid, ReasonID: rid, Message: str(message)})
}

// viewerNow loads the signed-in user afresh, for the `viewer` of payloads
// and events: its counters resolve after the change.
func (r *Resolver) viewerNow(ctx context.Context) (*market.User, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	return load(ctx, r.loaders(ctx).User, v, "user")
}
