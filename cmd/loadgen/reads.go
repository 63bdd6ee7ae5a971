package main

import (
	"context"
	"errors"
	"fmt"
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

// The room-messages page: a room's 50 newest messages with their senders,
// what a conversation opens with.
const roomMessagesPage = `query RoomMessages($id: ID!) {
  room(id: $id) {
    id
    messages(last: 50) {
      edges { cursor node { id seq body createdAt sender { id name } } }
      pageInfo { hasPreviousPage startCursor }
    }
  }
}`

func init() {
	register(scenario{
		name: "room-messages",
		help: "a room's 50 newest messages with their senders (-setup once to create the room and -messages messages)",
		run: func(ctx context.Context, env *Env) (*Report, error) {
			token, err := env.Login(ctx, env.Email, env.Password)
			if err != nil {
				return nil, err
			}
			roomID, err := firstRoom(ctx, env, token)
			if err != nil {
				return nil, err
			}
			if env.Setup {
				if roomID, err = setupRoom(ctx, env, token, roomID); err != nil {
					return nil, fmt.Errorf("setup: %w", err)
				}
			}
			if roomID == "" {
				return nil, fmt.Errorf("%s is in no room yet: run once with -setup (against a server started with MUTATION_RATE=0, so that the messages are not rate limited)", env.Email)
			}
			vars := map[string]any{"id": roomID}
			if err := env.Do(ctx, token, roomMessagesPage, vars, nil); err != nil {
				return nil, errors.New("the room's messages fail before the load starts: " + err.Error())
			}
			return Hammer(ctx, env, func(ctx context.Context, _ int) error {
				return env.Do(ctx, token, roomMessagesPage, vars, nil)
			}), nil
		},
	})
}

// firstRoom returns the id of the viewer's most recently active room, or "".
func firstRoom(ctx context.Context, env *Env, token string) (string, error) {
	var out struct {
		Rooms struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	if err := env.Do(ctx, token, `{ rooms(first: 1) { edges { node { id } } } }`, nil, &out); err != nil {
		return "", err
	}
	if len(out.Rooms.Edges) == 0 {
		return "", nil
	}
	return out.Rooms.Edges[0].Node.ID, nil
}

// setupRoom makes sure the freelancer signed in with token has a room with
// at least env.Messages messages: without a room, it accepts one of the
// freelancer's pending invitations and has its client (-client-email)
// message the proposal, which opens the room; then both sides write until
// the room holds enough messages.
func setupRoom(ctx context.Context, env *Env, token, roomID string) (string, error) {
	client, err := env.Login(ctx, env.ClientEmail, env.Password)
	if err != nil {
		return "", fmt.Errorf("sign in as the client %s: %w", env.ClientEmail, err)
	}
	if roomID == "" {
		var invs struct {
			Invitations struct {
				Edges []struct {
					Node struct {
						ID  string
						Job struct{ Client struct{ ID string } }
					}
				}
			}
		}
		if err := env.Do(ctx, token, `{ invitations(first: 50, filter: {status: PENDING}) { edges { node { id job { client { id } } } } } }`, nil, &invs); err != nil {
			return "", err
		}
		var viewer struct{ Viewer struct{ ID string } }
		if err := env.Do(ctx, client, `{ viewer { id } }`, nil, &viewer); err != nil {
			return "", err
		}
		clientID := viewer.Viewer.ID
		invitationID := ""
		for _, e := range invs.Invitations.Edges {
			if e.Node.Job.Client.ID == clientID {
				invitationID = e.Node.ID
				break
			}
		}
		if invitationID == "" {
			return "", fmt.Errorf("%s has no pending invitation from %s (seed with: server seed -freelancers 20000 -invitations 100000)", env.Email, env.ClientEmail)
		}
		var acc struct {
			AcceptInvitation struct{ Proposal struct{ ID string } } `json:"acceptInvitation"`
		}
		if err := env.Do(ctx, token, `mutation($id: ID!) { acceptInvitation(input: {invitationId: $id, coverLetter: "I would love to help with this."}) { proposal { id } } }`,
			map[string]any{"id": invitationID}, &acc); err != nil {
			return "", fmt.Errorf("accept an invitation: %w", err)
		}
		var msg struct {
			MessageProposal struct{ Room struct{ ID string } } `json:"messageProposal"`
		}
		if err := env.Do(ctx, client, `mutation($id: ID!) { messageProposal(input: {proposalId: $id, body: "Thanks for applying! A few questions first."}) { room { id } } }`,
			map[string]any{"id": acc.AcceptInvitation.Proposal.ID}, &msg); err != nil {
			return "", fmt.Errorf("open the room: %w", err)
		}
		roomID = msg.MessageProposal.Room.ID
	}
	var have struct {
		Room struct{ Messages struct{ TotalCount int } }
	}
	if err := env.Do(ctx, token, `query($id: ID!) { room(id: $id) { messages(last: 1) { totalCount } } }`, map[string]any{"id": roomID}, &have); err != nil {
		return "", err
	}
	for i := have.Room.Messages.TotalCount; i < env.Messages; i++ {
		who := []string{token, client}[i%2]
		if err := env.Do(ctx, who, `mutation($id: ID!, $body: String!) { sendMessage(input: {roomId: $id, body: $body}) { message { id } } }`,
			map[string]any{"id": roomID, "body": fmt.Sprintf("Message number %d of the load test's conversation.", i+1)}, nil); err != nil {
			return "", fmt.Errorf("message %d: %w", i+1, err)
		}
	}
	fmt.Fprintf(env.Out, "setup         room %s holds at least %d messages\n", roomID, env.Messages)
	return roomID, nil
}
