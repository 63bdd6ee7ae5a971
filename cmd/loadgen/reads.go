package main

import (
	"context"
	"errors"
)

// The invitations page: the viewer's 20 newest invitations with the job
// and its client, the page a freelancer's dashboard loads most.
const invitationsPage = `query InvitationsPage {
  invitations(first: 20) {
    edges { cursor node { id message job { id title client { id name } } } }
    pageInfo { hasNextPage endCursor }
  }
}`

func init() {
	register(scenario{
		name: "invitations-page",
		help: "the viewer's 20 newest invitations with job and client (-email, -concurrency, -duration)",
		run: func(ctx context.Context, env *Env) (*Report, error) {
			token, err := env.Login(ctx, env.Email, env.Password)
			if err != nil {
				return nil, err
			}
			if err := env.Do(ctx, token, invitationsPage, nil, nil); err != nil {
				return nil, errors.New("the invitations page fails before the load starts: " + err.Error())
			}
			return Hammer(ctx, env, func(ctx context.Context, _ int) error {
				return env.Do(ctx, token, invitationsPage, nil, nil)
			}), nil
		},
	})
}
