package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// errOperationTimeout is the cause of an operation's context ending at its
// deadline (OPERATION_TIMEOUT), which the error presenter reports as
// UNAVAILABLE rather than as the client having left.
type errOperationTimeout struct{ limit time.Duration }

func (e errOperationTimeout) Error() string {
	return fmt.Sprintf("the operation did not finish within the limit of %s (OPERATION_TIMEOUT)", e.limit)
}

// timedOut reports the deadline of an operation whose context ended at it.
func timedOut(ctx context.Context) (errOperationTimeout, bool) {
	var e errOperationTimeout
	return e, errors.As(context.Cause(ctx), &e)
}

// deadline bounds every query and mutation by limit: its context ends then,
// which cancels its SQL statements. The context also ends when the client
// leaves (net/http cancels a request's context when its connection closes;
// the websocket transport when the socket closes). A subscription lives as
// long as its client wants it. A limit of 0 disables it.
func deadline(limit time.Duration) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if limit <= 0 || graphql.GetOperationContext(ctx).Operation.Operation == ast.Subscription {
			return next(ctx)
		}
		ctx, cancel := context.WithTimeoutCause(ctx, limit, errOperationTimeout{limit})
		h := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			resp := h(ctx)
			if resp == nil || resp.HasNext == nil || !*resp.HasNext {
				cancel()
			}
			return resp
		}
	}
}
