package market

import "strings"

// MaxSearchQueryLen bounds a search text.
const MaxSearchQueryLen = 200

// SearchRequest is a full-text search (R29): a text (websearch syntax:
// words, "phrases", -excluded, or), skills every result must have, and a
// page after a position of the ranking.
type SearchRequest struct {
	Query        string
	Skills       []string
	ContractType *ContractType
	Limit        int
	After        *SearchPosition
}

// SearchPosition is a place in a ranking: results rank by relevance, then
// by id, both descending, so that a position names exactly one spot and the
// next page starts right after it however many results share a rank.
type SearchPosition struct {
	Rank float32
	ID   int64
}

// SearchHit is one ranked result.
type SearchHit struct {
	ID   int64   `db:"id"`
	Rank float32 `db:"rank"`
}

// NewSearchRequest validates a search. Errors: VALIDATION_FAILED.
func NewSearchRequest(query *string, skills []string, first *int, after *SearchPosition) (SearchRequest, error) {
	var r SearchRequest
	if query != nil {
		q, err := CheckText("query", *query, MaxSearchQueryLen, false)
		if err != nil {
			return r, err
		}
		r.Query = strings.Join(strings.Fields(q), " ")
	}
	var err error
	if r.Skills, err = NormalizeSkills("skills", skills); err != nil {
		return r, err
	}
	p, err := NewPageRequest(first, 0)
	if err != nil {
		return r, err
	}
	r.Limit, r.After = p.Limit, after
	return r, nil
}
