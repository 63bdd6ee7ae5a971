package server

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/time/rate"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/market"
)

// Limits on what one operation may ask for. Each runs after the document
// has parsed and validated, before anything executes, and refuses with
// VALIDATION_FAILED (or RATE_LIMITED) and a message naming the setting.
// Introspection fields (__schema, __type) are governed by INTROSPECTION and
// gqlparser's own introspection depth rule, not by these.

func limitError(code market.Code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": string(code)}
	return err
}

// depthLimit refuses operations whose fields nest deeper than max.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if depth := selectionDepth(opCtx.Operation.SelectionSet, map[string]int{}, new(int)); depth > d.max {
		return limitError(market.CodeValidationFailed,
			"the operation nests fields %d levels deep, deeper than the limit of %d (MAX_QUERY_DEPTH)", depth, d.max)
	}
	return nil
}

// selectionDepth is the deepest chain of fields in set. A fragment's depth
// is computed once (memo), so fragments spread many times cost nothing more:
// the work, counted in visited (selections looked at), is linear in the
// document. Validation has already refused fragment cycles.
func selectionDepth(set ast.SelectionSet, memo map[string]int, visited *int) int {
	deepest := 0
	for _, sel := range set {
		*visited++
		d := 0
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			d = 1 + selectionDepth(s.SelectionSet, memo, visited)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, memo, visited)
		case *ast.FragmentSpread:
			if s.Definition == nil {
				continue
			}
			var ok bool
			if d, ok = memo[s.Name]; !ok {
				memo[s.Name] = 0 // a cycle (impossible after validation) adds nothing
				d = selectionDepth(s.Definition.SelectionSet, memo, visited)
				memo[s.Name] = d
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// complexityLimit refuses operations whose complexity exceeds max: every
// field costs 1 plus its children's cost, and a field taking first/last (a
// connection) multiplies its children's cost by the page size it asks for
// (the default page size when it asks for none).
type complexityLimit struct {
	max int
	es  graphql.ExecutableSchema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &complexityLimit{}

func (*complexityLimit) ExtensionName() string { return "ComplexityLimit" }

func (c *complexityLimit) Validate(es graphql.ExecutableSchema) error {
	c.es = es
	return nil
}

func (c *complexityLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	n, _ := operationComplexity(ctx, c.es, opCtx.Operation, opCtx.Variables)
	if n > c.max {
		return limitError(market.CodeValidationFailed,
			"the operation's complexity is %d, over the limit of %d (MAX_COMPLEXITY): ask for smaller pages (first/last) or fewer nested lists", n, c.max)
	}
	return nil
}

// pagedComplexity is the executable schema with the complexity rule above
// for connection fields. (It hides no optional interface: the generated
// schema implements none besides graphql.ExecutableSchema.)
type pagedComplexity struct{ graphql.ExecutableSchema }

func (s pagedComplexity) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	if n, ok := s.ExecutableSchema.Complexity(ctx, typeName, field, child, args); ok {
		return n, ok
	}
	def := s.Schema().Types[typeName]
	if def == nil {
		return 0, false
	}
	f := def.Fields.ForName(field)
	if f == nil || (f.Arguments.ForName("first") == nil && f.Arguments.ForName("last") == nil) {
		return 0, false
	}
	size := market.DefaultPageSize
	for _, name := range []string{"first", "last"} {
		if v, ok := intArg(args[name]); ok {
			// Over the cap fails with a clearer error when the field runs.
			size = min(max(v, 0), market.MaxPageSize)
			break
		}
	}
	if child > (math.MaxInt-1)/max(size, 1) {
		return math.MaxInt, true
	}
	return 1 + size*child, true
}

func intArg(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int32:
		return int(n), true
	case int64:
		return int(max(min(n, math.MaxInt32), math.MinInt32)), true
	case float64:
		return int(max(min(n, math.MaxInt32), math.MinInt32)), true
	case interface{ Int64() (int64, error) }: // json.Number
		i, err := n.Int64()
		return int(max(min(i, math.MaxInt32), math.MinInt32)), err == nil
	}
	return 0, false
}

// introspectionOff refuses __schema and __type with a clear error when
// introspection is disabled (gqlgen would otherwise fail inside execution,
// which the error presenter can only report as INTERNAL). __typename stays
// allowed.
type introspectionOff struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = introspectionOff{}

func (introspectionOff) ExtensionName() string                   { return "IntrospectionOff" }
func (introspectionOff) Validate(graphql.ExecutableSchema) error { return nil }

func (introspectionOff) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if name := introspectionField(opCtx.Operation.SelectionSet, map[string]bool{}); name != "" {
		return limitError(market.CodeForbidden, "introspection (%s) is disabled on this server (INTROSPECTION=false)", name)
	}
	return nil
}

// introspectionField finds __schema or __type among the root fields
// (the only place where they exist).
func introspectionField(set ast.SelectionSet, seen map[string]bool) string {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return s.Name
			}
		case *ast.InlineFragment:
			if n := introspectionField(s.SelectionSet, seen); n != "" {
				return n
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && !seen[s.Name] {
				seen[s.Name] = true
				if n := introspectionField(s.Definition.SelectionSet, seen); n != "" {
					return n
				}
			}
		}
	}
	return ""
}

// mutationLimiter is a token bucket per user on mutations: each signed-in
// user may run perSecond mutations a second on average, and burst at once.
// What counts is what runs: every root field of a mutation operation takes
// one token (100 aliases of a mutation take 100), and an operation of more
// fields than burst is refused outright.
// Anonymous mutations (login) share a bucket per client address. Over it a
// mutation is refused with RATE_LIMITED before anything runs; queries and
// subscriptions are never limited. The buckets live in an LRU of bounded
// size: a bucket evicted after its user went quiet would have refilled
// anyway.
type mutationLimiter struct {
	limit rate.Limit
	burst int
	mu    sync.Mutex
	lru   *lru.Cache[string, *rate.Limiter]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = (*mutationLimiter)(nil)

// maxRateLimitKeys bounds the buckets kept in memory.
const maxRateLimitKeys = 10000

func newMutationLimiter(perSecond float64, burst int) *mutationLimiter {
	c, err := lru.New[string, *rate.Limiter](maxRateLimitKeys)
	if err != nil {
		panic(err) // only for a non-positive size
	}
	return &mutationLimiter{limit: rate.Limit(perSecond), burst: max(burst, 1), lru: c}
}

func (*mutationLimiter) ExtensionName() string                   { return "MutationRateLimit" }
func (*mutationLimiter) Validate(graphql.ExecutableSchema) error { return nil }

func (m *mutationLimiter) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	// A mutation over GET is refused by the transport: it costs nothing.
	if opCtx.Operation.Operation != ast.Mutation || httpMethod(ctx) == http.MethodGet {
		return nil
	}
	key := "anonymous " + clientAddr(ctx)
	if id, err := auth.ViewerID(ctx); err == nil {
		key = fmt.Sprintf("user %d", id)
	}
	m.mu.Lock()
	lim, ok := m.lru.Get(key)
	if !ok {
		lim = rate.NewLimiter(m.limit, m.burst)
		m.lru.Add(key, lim)
	}
	m.mu.Unlock()
	n := rootFields(opCtx.Operation.SelectionSet, map[string]bool{}, map[string]bool{})
	if n > m.burst {
		return limitError(market.CodeValidationFailed,
			"the operation runs %d mutations, more than the %d a user may send at once (MUTATION_BURST): send fewer per request", n, m.burst)
	}
	r := lim.ReserveN(time.Now(), n) // n <= burst: always OK
	delay := r.Delay()
	if delay == 0 {
		return nil
	}
	r.Cancel() // a refused operation takes no token
	retry := int(math.Ceil(delay.Seconds()))
	err := limitError(market.CodeRateLimited,
		"too many mutations: at most %g a second (bursts of %d) per user (MUTATION_RATE, MUTATION_BURST), and this operation runs %d; retry in %s",
		float64(m.limit), m.burst, n, delay.Round(time.Millisecond))
	err.Extensions["retryAfterSeconds"] = retry
	return err
}

// rootFields counts the root fields an operation runs: each response key
// once (fields with the same key are merged and run once), aliases of one
// field apart, through fragments and inline fragments (each fragment looked
// at once).
func rootFields(set ast.SelectionSet, keys, fragments map[string]bool) int {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if !strings.HasPrefix(s.Name, "__") {
				keys[s.Alias] = true
			}
		case *ast.InlineFragment:
			rootFields(s.SelectionSet, keys, fragments)
		case *ast.FragmentSpread:
			if s.Definition != nil && !fragments[s.Name] {
				fragments[s.Name] = true
				rootFields(s.Definition.SelectionSet, keys, fragments)
			}
		}
	}
	return len(keys)
}
