package graph

import (
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hiregraph/hiregraph/graph/model"
	"github.com/hiregraph/hiregraph/internal/market"
)

// Global id type names of the onboarding areas (accounts, agencies,
// purchases, search).
const (
	kindAgencyInvitation = "AgencyInvitation"
	kindPurchase         = "ConnectsPurchase"
)

// viewerIsFreelancer reports whether the user has a freelancer profile,
// through the request's profile loader.
func (r *Resolver) viewerIsFreelancer(ctx context.Context, u *market.User) (bool, error) {
	p, err := loadOptional(ctx, r.loaders(ctx).Profile, &u.ID)
	return p != nil, err
}

// agencyAndUser decodes the viewer and the agency and user ids of an
// agency membership mutation. Errors: UNAUTHENTICATED, VALIDATION_FAILED.
func agencyAndUser(ctx context.Context, agency, user string) (v, agencyID, userID int64, err error) {
	if v, err = viewer(ctx); err != nil {
		return
	}
	if agencyID, err = decodeID("input.agencyId", kindAgency, agency); err != nil {
		return
	}
	userID, err = decodeID("input.userId", kindUser, user)
	return
}

// Search cursors name a place in a ranking: the rank (as the exact bits of
// the float4 PostgreSQL computed) and the id, so that the next page starts
// right after it however many results share a rank.

func searchCursor(h market.SearchHit) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "search:%08x:%d", math.Float32bits(h.Rank), h.ID))
}

func parseSearchCursor(s string) (*market.SearchPosition, error) {
	bad := market.Invalid("after", "not a valid search cursor (pass an edge's cursor of the same search)")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	parts := strings.Split(string(b), ":")
	if len(parts) != 3 || parts[0] != "search" || len(parts[1]) != 8 {
		return nil, bad
	}
	bits, err1 := strconv.ParseUint(parts[1], 16, 32)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	rank := math.Float32frombits(uint32(bits))
	if err1 != nil || err2 != nil || id <= 0 || rank < 0 || math.IsNaN(float64(rank)) || math.IsInf(float64(rank), 0) {
		return nil, bad
	}
	return &market.SearchPosition{Rank: rank, ID: id}, nil
}

// searchRequest validates a search's arguments. Errors: VALIDATION_FAILED.
func searchRequest(query *string, skills []string, first *int, after *string) (market.SearchRequest, error) {
	var pos *market.SearchPosition
	if after != nil && *after != "" {
		var err error
		if pos, err = parseSearchCursor(*after); err != nil {
			return market.SearchRequest{}, err
		}
	}
	return market.NewSearchRequest(query, skills, first, pos)
}

func searchPageInfo(p market.Page[market.SearchHit]) *model.PageInfo {
	info := &model.PageInfo{HasNextPage: p.HasNext, HasPreviousPage: false}
	if n := len(p.Items); n > 0 {
		first, last := searchCursor(p.Items[0]), searchCursor(p.Items[n-1])
		info.StartCursor, info.EndCursor = &first, &last
	}
	return info
}

func hitIDs(hits []market.SearchHit) []int64 {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// proposalIn decodes what a new proposal carries besides its texts, the
// same for acceptInvitation and submitProposal: the agency to submit for,
// the terms and the screening answers. Errors: VALIDATION_FAILED.
func proposalIn(agency *string, terms *model.TermsInput, answers []*model.AnswerInput) (*int64, *market.Terms, []market.Answer, error) {
	agencyID, err := decodeOptionalID("input.agencyId", kindAgency, agency)
	if err != nil {
		return nil, nil, nil, err
	}
	t, err := termsIn("input.terms", terms)
	if err != nil {
		return nil, nil, nil, err
	}
	a, err := answersIn(answers)
	return agencyID, t, a, err
}
