package graph

// Prefetching of a list's relations, one batch per relation.

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

// prefetchRooms loads, one batch per relation, what the requested fields of
// listed rooms will ask their loaders for, so that the per-room resolvers
// find it cached. A loader's short wait alone can split a long list's loads
// into several batches when the resolvers' goroutines are slow to run; this
// makes the room list cost the same statements whatever its length: the
// rooms' own relations first, then the users and jobs they point to.
func (r *Resolver) prefetchRooms(ctx context.Context, rooms []*market.Room) {
	if len(rooms) == 0 || !graphql.HasOperationContext(ctx) || graphql.GetFieldContext(ctx) == nil {
		return
	}
	want := connectionNodeFields(ctx)
	l := r.loaders(ctx)
	var ids, withMessages, proposalIDs []int64
	for _, room := range rooms {
		l.Room.Prime(room.ID, room)
		l.RoomByProposal.Prime(room.ProposalID, room)
		ids = append(ids, room.ID)
		proposalIDs = append(proposalIDs, room.ProposalID)
		if room.LastSeq > 0 {
			withMessages = append(withMessages, room.ID)
		}
	}
	var (
		members   func() ([][]*market.RoomMember, error)
		last      func() ([]*market.Message, error)
		proposals func() ([]*market.Proposal, error)
	)
	if want["members"] != nil || want["unreadCount"] != nil {
		members = l.RoomMembers.LoadAllThunk(ctx, ids)
	}
	if want["lastMessage"] != nil && len(withMessages) > 0 {
		last = l.LastMessage.LoadAllThunk(ctx, withMessages)
	}
	if want["contactSharingAllowed"] != nil {
		l.ContactSharing.LoadAllThunk(ctx, ids)
	}
	if want["proposal"] != nil || want["job"] != nil {
		proposals = l.Proposal.LoadAllThunk(ctx, proposalIDs)
	}

	// Second level: the users and jobs those point to. Errors are left for
	// the resolvers to report.
	var users, jobs []int64
	if members != nil && want["members"]["user"] {
		lists, _ := members()
		for _, ms := range lists {
			for _, m := range ms {
				users = append(users, m.UserID)
			}
		}
	}
	if last != nil && want["lastMessage"]["sender"] {
		msgs, _ := last()
		for _, m := range msgs {
			if m != nil {
				users = append(users, m.SenderID)
			}
		}
	}
	if want["job"]["client"] {
		for _, room := range rooms {
			users = append(users, room.ClientID)
		}
	}
	if proposals != nil && (want["job"] != nil || want["proposal"]["freelancer"] || want["proposal"]["submittedBy"]) {
		ps, _ := proposals()
		for _, p := range ps {
			if p == nil {
				continue
			}
			if want["job"] != nil {
				jobs = append(jobs, p.JobID)
			}
			if want["proposal"]["freelancer"] {
				users = append(users, p.FreelancerID)
			}
			if want["proposal"]["submittedBy"] {
				users = append(users, p.SubmittedBy)
			}
		}
	}
	if len(users) > 0 {
		l.User.LoadAllThunk(ctx, dedupe(users))
	}
	if len(jobs) > 0 {
		l.Job.LoadAllThunk(ctx, dedupe(jobs))
	}
}

func dedupe(ids []int64) []int64 {
	slices.Sort(ids)
	return slices.Compact(ids)
}

// connectionNodeFields names the fields selected on edges.node of the
// connection field being resolved, each with the names selected below it.
func connectionNodeFields(ctx context.Context) map[string]map[string]bool {
	op := graphql.GetOperationContext(ctx)
	out := map[string]map[string]bool{}
	for _, node := range edgeFields(ctx) {
		if node.Name != "node" {
			continue
		}
		for _, f := range graphql.CollectFields(op, node.Selections, nil) {
			if out[f.Name] == nil {
				out[f.Name] = map[string]bool{}
			}
			for _, sub := range graphql.CollectFields(op, f.Selections, nil) {
				out[f.Name][sub.Name] = true
			}
		}
	}
	return out
}

// edgeFields are the fields selected on the edges of the connection field
// being resolved (cursor, node), however many times edges is selected.
func edgeFields(ctx context.Context) []graphql.CollectedField {
	if graphql.GetFieldContext(ctx) == nil {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	var out []graphql.CollectedField
	for _, edges := range graphql.CollectFieldsCtx(ctx, nil) {
		if edges.Name == "edges" {
			out = append(out, graphql.CollectFields(op, edges.Selections, nil)...)
		}
	}
	return out
}

// invitationsPage reads a page of the viewer's invitations, and primes the
// loaders with the jobs and users its requested fields ask for (job,
// job.client, client, freelancer), so that the items' resolvers wait for no
// batch window: with job selected, the jobs and their clients come in the
// page's own statement; the users not among those in one more, whatever the
// page's length.
func (r *Resolver) invitationsPage(ctx context.Context, viewerID int64, f hiring.InvitationFilter, p market.PageRequest) (market.Page[*market.Invitation], map[int64]int64, error) {
	var want map[string]map[string]bool
	if graphql.HasOperationContext(ctx) {
		want = connectionNodeFields(ctx)
	}
	if want["job"] == nil {
		page, positions, err := r.Hiring.InvitationsWithPositions(ctx, viewerID, f, p)
		if err == nil {
			err = r.primeInvitationUsers(ctx, want, page.Items, nil)
		}
		return page, positions, err
	}
	feed, err := r.Hiring.InvitationsWithJobs(ctx, viewerID, f, p)
	if err != nil {
		return market.Page[*market.Invitation]{}, nil, err
	}
	l := r.loaders(ctx)
	for id, j := range feed.Jobs {
		l.Job.Prime(id, j)
	}
	for id, u := range feed.Clients {
		l.User.Prime(id, u)
	}
	return feed.Page, feed.Positions, r.primeInvitationUsers(ctx, want, feed.Page.Items, feed.Clients)
}

// primeSenders primes the user loader with the senders of a page of
// messages when they are selected, in one statement whatever the page's
// length and without a batch window; and, when the nodes ask for nothing
// else that could wait for a loader, lets the page be marshalled element
// after element (lists.go).
func (r *Resolver) primeSenders(ctx context.Context, ms []*market.Message) error {
	if len(ms) == 0 || !graphql.HasOperationContext(ctx) || graphql.GetFieldContext(ctx) == nil {
		return nil
	}
	if connectionNodeFields(ctx)["sender"] != nil {
		ids := make([]int64, len(ms))
		for i, m := range ms {
			ids[i] = m.SenderID
		}
		if _, err := prime(ctx, r.loaders(ctx).User, r.Hiring.UsersByID, ids); err != nil {
			return err
		}
	}
	if connectionNodesCovered(ctx, "Message", messageRelations) {
		r.loaders(ctx).markPrimed(ctx)
	}
	return nil
}

// primeInvitationUsers primes the invitations' clients and freelancers when
// selected, but for those already had.
func (r *Resolver) primeInvitationUsers(ctx context.Context, want map[string]map[string]bool, invs []*market.Invitation, have map[int64]*market.User) error {
	var users []int64
	for _, inv := range invs {
		if want["client"] != nil && have[inv.ClientID] == nil {
			users = append(users, inv.ClientID)
		}
		if want["freelancer"] != nil && have[inv.FreelancerID] == nil {
			users = append(users, inv.FreelancerID)
		}
	}
	_, err := prime(ctx, r.loaders(ctx).User, r.Hiring.UsersByID, users)
	return err
}
