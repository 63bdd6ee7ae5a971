package graph

import (
	"context"
	"reflect"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Lists of objects are marshalled here: the generated code calls
// marshalList where gqlgen's template calls graphql.MarshalSliceConcurrently
// (go generate rewrites the call, see internal/tools/genrewrite).
//
// gqlgen marshals every element of a list in a goroutine of its own, so
// that the elements' resolvers ask their loaders together and a loader
// fetches them in one batch. That is what a list needs when its elements
// will wait for loaders. When the list's resolver has already fetched what
// the elements will ask for and primed the loaders with it (a page of
// invitations with its jobs and their clients, invitationsPage), the
// goroutines buy nothing and cost a lot: each starts on a small stack and
// grows it (copying it) two or three times through gqlgen's deep calls, and
// each wakes a processor. Measured on the invitations page (20 edges, load
// generator, 32 connections): a quarter of the server's CPU per request.
//
// So a list whose resolver primed the loaders with everything its elements
// ask for (markPrimed, once covered has checked the selection: plain
// fields, and the relations the priming fetched) is marshalled in the
// calling goroutine, one element after the other. Should an element still
// make a loader run a batch (a row the priming did not find), the rest of
// the list is marshalled concurrently, as gqlgen would. Every other list is
// marshalled by gqlgen's own function.
func marshalList(ctx context.Context, length int, workerLimit int64, omitPanicHandler bool, marshal func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	l, _ := ctx.Value(loadersKey{}).(*Loaders)
	if length < 2 || l == nil || !l.primedList(graphql.GetFieldContext(ctx)) {
		return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshal)
	}
	ret := make(graphql.Array, length)
	for i := range length {
		batches := l.set.batches.Load()
		marshalElement(ctx, ret, i, omitPanicHandler, marshal)
		if l.set.batches.Load() != batches && i+1 < length {
			marshalConcurrently(ctx, ret, i+1, omitPanicHandler, marshal)
			break
		}
	}
	return ret
}

// marshalElement marshals element i into ret[i] with its own field context
// (its index in the path), as graphql.MarshalSliceConcurrently does: a
// panic is an error on the element's path and a null element.
func marshalElement(ctx context.Context, ret graphql.Array, i int, omitPanicHandler bool, marshal func(ctx context.Context, i int) graphql.Marshaler) {
	index := i
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &index})
	if !omitPanicHandler {
		defer func() {
			if r := recover(); r != nil {
				graphql.AddError(ctx, graphql.Recover(ctx, r))
				ret[i] = graphql.Null
			}
		}()
	}
	ret[i] = marshal(ctx, i)
}

// marshalConcurrently marshals the elements from first on, each in a
// goroutine of its own.
func marshalConcurrently(ctx context.Context, ret graphql.Array, first int, omitPanicHandler bool, marshal func(ctx context.Context, i int) graphql.Marshaler) {
	var wg sync.WaitGroup
	for i := first; i < len(ret); i++ {
		wg.Go(func() { marshalElement(ctx, ret, i, omitPanicHandler, marshal) })
	}
	wg.Wait()
}

// primedLists records the list fields whose resolvers primed the loaders
// with what their elements ask for: a request has one or two.
type primedLists struct {
	mu     sync.Mutex
	fields []*graphql.FieldContext
}

// markPrimed records that the list under the field being resolved (the
// field itself, or a connection's edges) has its elements' rows primed.
func (l *Loaders) markPrimed(ctx context.Context) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return
	}
	p := &l.set.primed
	p.mu.Lock()
	p.fields = append(p.fields, fc)
	p.mu.Unlock()
}

// primedList reports whether the list of field fc was primed: fc is the
// primed field, or the edges of the primed connection.
func (l *Loaders) primedList(fc *graphql.FieldContext) bool {
	p := &l.set.primed
	if fc == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.fields {
		if f == fc || f == fc.Parent {
			return true
		}
	}
	return false
}

// relations is what a list's priming fetched, below one element: each
// relation by its field name, with what was fetched below it in turn.
type relations map[string]relations

// invitationRelations is what invitationsPage fetches for a page's
// invitations when they are selected: the jobs, their clients, the
// invitations' clients and freelancers.
var invitationRelations = relations{"job": {"client": {}}, "client": {}, "freelancer": {}}

// messageRelations is what primeSenders fetches for a page of a room's
// messages: their senders.
var messageRelations = relations{"sender": {}}

// resolverFields names, per GraphQL type, the fields that have a resolver
// of their own (the methods of the type's interface in ResolverRoot):
// those may wait for a loader. Every other field is read from the Go
// value at hand, with no I/O.
var resolverFields = sync.OnceValue(func() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	root := reflect.TypeFor[ResolverRoot]()
	for i := range root.NumMethod() {
		m := root.Method(i)
		fields := map[string]bool{}
		if r := m.Type.Out(0); r.Kind() == reflect.Interface {
			for j := range r.NumMethod() {
				fields[strings.ToLower(r.Method(j).Name)] = true
			}
		}
		out[m.Name] = fields
	}
	return out
})

// covered reports whether the selection sel, on an object of type typ,
// asks only for fields with no resolver of their own and for the fetched
// relations rel (and, below those, the same again): then nothing under it
// waits for a loader. A fragment on an abstract type, or anything not
// known, is not covered.
func covered(op *graphql.OperationContext, typ string, sel ast.SelectionSet, rel relations) bool {
	resolvers := resolverFields()
	for _, f := range graphql.CollectFields(op, sel, []string{typ}) {
		if f.Name == "__typename" {
			continue
		}
		if f.Definition == nil {
			return false
		}
		sub, fetched := rel[f.Name]
		if !fetched && resolvers[typ][strings.ToLower(f.Name)] {
			return false
		}
		if len(f.Selections) == 0 {
			continue
		}
		child := f.Definition.Type.Name()
		if def := parsedSchema.Types[child]; def == nil || def.Kind != ast.Object {
			return false
		}
		if !covered(op, child, f.Selections, sub) {
			return false
		}
	}
	return true
}

// connectionNodesCovered reports whether the nodes of the connection field
// being resolved, of type node, ask for nothing beyond rel (see covered);
// a connection's edges ask only for a cursor and the node.
func connectionNodesCovered(ctx context.Context, node string, rel relations) bool {
	op := graphql.GetOperationContext(ctx)
	for _, e := range edgeFields(ctx) {
		switch e.Name {
		case "__typename", "cursor":
		case "node":
			if !covered(op, node, e.Selections, rel) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// deferredGroup is what the generated code gets where gqlgen's template
// calls graphql.NewDeferredGroup, for every object of every response: the
// group of the object's fields under @defer. The served schema has no
// @defer (servedSchema in internal/server removes it, and validation
// refuses it), so no field is ever deferred and the group stays empty;
// gqlgen's constructor computed the object's path and allocated a field
// set and a map for it all the same (7 % of the server's CPU on the
// invitations page).
func deferredGroup(ctx context.Context) graphql.DeferredGroup {
	return graphql.DeferredGroup{Context: ctx}
}
