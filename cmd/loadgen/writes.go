package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// The mutation mix: the hiring conversation end to end. Each worker is a
// generated freelancer (-pool-first on) working with the client
// (-client-email); each operation is the worker's next step of
//
//	postJob → inviteFreelancer → acceptInvitation → messageProposal → sendMessage
//
// and then a new job. The client makes two in five of every mutation and
// generated freelancers have no Connects, so the server under test runs
// with MUTATION_RATE=0 and CHARGE_CONNECTS=false.
func init() {
	register(scenario{
		name: "mutation-mix",
		help: "post a job, invite, accept, open the room, send a message, in a loop per worker (server: MUTATION_RATE=0 CHARGE_CONNECTS=false)",
		run: func(ctx context.Context, env *Env) (*Report, error) {
			client, err := env.Login(ctx, env.ClientEmail, env.Password)
			if err != nil {
				return nil, fmt.Errorf("sign in as the client %s: %w", env.ClientEmail, err)
			}
			workers := make([]mixWorker, max(env.Concurrency, 1))
			for w := range workers { // one at a time: a sign-in costs a password hash
				email := fmt.Sprintf("freelancer%06d@pool.hiregraph.test", env.PoolFirst+w)
				tok, err := env.Login(ctx, email, env.Password)
				if err != nil {
					return nil, fmt.Errorf("sign in as %s (seed generated freelancers: server seed -freelancers N): %w", email, err)
				}
				var v struct{ Viewer struct{ ID string } }
				if err := env.Do(ctx, tok, `{ viewer { id } }`, nil, &v); err != nil {
					return nil, err
				}
				workers[w] = mixWorker{token: tok, userID: v.Viewer.ID}
			}
			var hintOnce sync.Once
			rep := Hammer(ctx, env, func(ctx context.Context, w int) error {
				err := workers[w].step(ctx, env, client)
				if err != nil && (strings.Contains(err.Error(), "RATE_LIMITED") || strings.Contains(err.Error(), "Connects")) {
					hintOnce.Do(func() {
						fmt.Fprintln(env.Out, "hint          start the server with MUTATION_RATE=0 CHARGE_CONNECTS=false for this scenario")
					})
				}
				return err
			})
			return rep, nil
		},
	})
}

// mixWorker is one freelancer's place in the mutation loop.
type mixWorker struct {
	token, userID                   string
	n                               int // completed steps
	job, invitation, proposal, room string
}

func (m *mixWorker) step(ctx context.Context, env *Env, client string) error {
	var err error
	switch m.n % 5 {
	case 0:
		var out struct {
			PostJob struct{ Job struct{ ID string } } `json:"postJob"`
		}
		err = env.Do(ctx, client, `mutation($t: String!) { postJob(input: {title: $t, description: "A job posted by the load generator's mutation mix.",
			contractType: FIXED, budget: {amount: "500.00"}, connectsRequired: 2, skills: ["go"]}) { job { id } } }`,
			map[string]any{"t": fmt.Sprintf("Mutation mix job %d", m.n/5+1)}, &out)
		m.job = out.PostJob.Job.ID
	case 1:
		var out struct {
			InviteFreelancer struct{ Invitation struct{ ID string } } `json:"inviteFreelancer"`
		}
		err = env.Do(ctx, client, `mutation($j: ID!, $f: ID!) { inviteFreelancer(input: {jobId: $j, freelancerId: $f, message: "Would you apply?"}) { invitation { id } } }`,
			map[string]any{"j": m.job, "f": m.userID}, &out)
		m.invitation = out.InviteFreelancer.Invitation.ID
	case 2:
		var out struct {
			AcceptInvitation struct{ Proposal struct{ ID string } } `json:"acceptInvitation"`
		}
		err = env.Do(ctx, m.token, `mutation($i: ID!) { acceptInvitation(input: {invitationId: $i, coverLetter: "Happy to help: I have done this before."}) { proposal { id } } }`,
			map[string]any{"i": m.invitation}, &out)
		m.proposal = out.AcceptInvitation.Proposal.ID
	case 3:
		var out struct {
			MessageProposal struct{ Room struct{ ID string } } `json:"messageProposal"`
		}
		err = env.Do(ctx, client, `mutation($p: ID!) { messageProposal(input: {proposalId: $p, body: "Thanks! When could you start?"}) { room { id } } }`,
			map[string]any{"p": m.proposal}, &out)
		m.room = out.MessageProposal.Room.ID
	case 4:
		err = env.Do(ctx, m.token, `mutation($r: ID!) { sendMessage(input: {roomId: $r, body: "Next Monday works for me."}) { message { id } } }`,
			map[string]any{"r": m.room}, nil)
	}
	if err != nil {
		m.n = 0 // start over with a new job
		return err
	}
	m.n++
	return nil
}
