package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/hiregraph/hiregraph/internal/market"
)

// presentError maps errors to GraphQL errors once: an *market.Error keeps
// its message and becomes extensions.code (and field, details); gqlgen's own
// parse and validation errors keep their codes; anything else is logged and
// shown as INTERNAL without its text, so that no internals leak.
func presentError(log *slog.Logger, count func(code string)) graphql.ErrorPresenterFunc {
	present := presenter(log)
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := present(ctx, err)
		code, _ := gerr.Extensions["code"].(string)
		count(code)
		return gerr
	}
}

func presenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var me *market.Error
		if errors.As(err, &me) {
			gerr := graphql.DefaultErrorPresenter(ctx, err)
			gerr.Message = me.Message
			gerr.Extensions = map[string]any{"code": string(me.Code)}
			if me.Field != "" {
				gerr.Extensions["field"] = me.Field
			}
			for k, v := range me.Details {
				gerr.Extensions[k] = v
			}
			return gerr
		}
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Err == nil {
			// Parse, validation and input coercion errors: the client's fault.
			gerr := graphql.DefaultErrorPresenter(ctx, err)
			if gerr.Extensions == nil || gerr.Extensions["code"] == nil {
				if gerr.Extensions == nil {
					gerr.Extensions = map[string]any{}
				}
				gerr.Extensions["code"] = string(market.CodeValidationFailed)
			}
			return gerr
		}
		if limit, ok := timedOut(ctx); ok {
			gerr := graphql.DefaultErrorPresenter(ctx, err)
			gerr.Message = limit.Error() + ": try again later, or ask for less"
			gerr.Extensions = map[string]any{"code": string(market.CodeUnavailable), "retryAfterSeconds": 1}
			return gerr
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			// The client left or the server is shutting down: not a fault.
			log.DebugContext(ctx, "request cancelled", "err", err)
			gerr := graphql.DefaultErrorPresenter(ctx, err)
			gerr.Message = "the request was cancelled or timed out"
			gerr.Extensions = map[string]any{"code": string(market.CodeInternal)}
			return gerr
		}
		if errors.Is(err, market.ErrUnavailable) {
			log.WarnContext(ctx, "the database is unavailable", "err", err, "path", graphql.GetPath(ctx).String())
			gerr := graphql.DefaultErrorPresenter(ctx, err)
			gerr.Message = "the service is unavailable: its database does not answer; retry later"
			gerr.Extensions = map[string]any{"code": string(market.CodeUnavailable), "retryAfterSeconds": unavailableRetryAfter}
			return gerr
		}
		log.ErrorContext(ctx, "internal error", "err", err, "path", graphql.GetPath(ctx).String())
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		gerr.Message = "internal error"
		gerr.Extensions = map[string]any{"code": string(market.CodeInternal)}
		return gerr
	}
}

// unavailableRetryAfter is the Retry-After (seconds) of an UNAVAILABLE answer.
const unavailableRetryAfter = 5

// recoverPanic logs a resolver panic and reports it as INTERNAL.
func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "path", graphql.GetPath(ctx).String())
		return errors.New("panic")
	}
}
