package market

// MaxPageSize caps first/last on every connection.
const MaxPageSize = 100

// DefaultPageSize is used when a query leaves first out.
const DefaultPageSize = 20

// PageRequest asks for a page of a newest-first list: at most Limit items
// older than (with an id below) AfterID, or from the newest when AfterID is 0.
type PageRequest struct {
	Limit   int
	AfterID int64
	// Count asks for the list's total count too: a statement of its own,
	// so only when the client asked for it.
	Count bool
}

// Page is one page of a list.
type Page[T any] struct {
	Items   []T
	HasNext bool
	// Total is the list's length, when the request asked for it (Count);
	// 0 otherwise.
	Total int
}

// NewPageRequest validates first (nil: default) and builds a request.
// Errors: VALIDATION_FAILED.
func NewPageRequest(first *int, afterID int64) (PageRequest, error) {
	n := DefaultPageSize
	if first != nil {
		n = *first
	}
	if n < 0 || n > MaxPageSize {
		return PageRequest{}, Invalid("first", "first must be between 0 and %d", MaxPageSize)
	}
	return PageRequest{Limit: n, AfterID: afterID}, nil
}

// Trim cuts a fetched slice of up to Limit+1 items to a Page.
func Trim[T any](items []T, req PageRequest, total int) Page[T] {
	p := Page[T]{Items: items, Total: total}
	if len(items) > req.Limit {
		p.Items, p.HasNext = items[:req.Limit], true
	}
	return p
}
