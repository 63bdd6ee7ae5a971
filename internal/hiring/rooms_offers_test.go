package hiring_test

import (
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
)

func TestRooms(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	job := e.MustCreateJob(client)
	p := e.MustCreateProposal(job, fr)

	var room *market.Room
	t.Run("MessageProposal opens the room once (R13)", func(t *testing.T) {
		res, err := e.Hiring.MessageProposal(e.Ctx, client.ID, hiring.MessageProposalInput{ProposalID: p.ID, Body: "Hello"})
		if err != nil || !res.Opened || res.Proposal.Status != market.ProposalActive || res.Message.Seq != 1 {
			t.Fatalf("%+v %v", res, err)
		}
		room = res.Room
		again, err := e.Hiring.MessageProposal(e.Ctx, client.ID, hiring.MessageProposalInput{ProposalID: p.ID, Body: "Again"})
		if err != nil || again.Opened || again.Room.ID != room.ID || again.Message.Seq != 2 {
			t.Fatalf("%+v %v", again, err)
		}
		_, err = e.Hiring.MessageProposal(e.Ctx, fr.ID, hiring.MessageProposalInput{ProposalID: p.ID, Body: "Me?"})
		hiringtest.WantCode(t, err, market.CodeForbidden)
	})
	t.Run("SendMessage: once per client id (R15); no contact info (R17)", func(t *testing.T) {
		id := "c-1"
		first, err := e.Hiring.SendMessage(e.Ctx, fr.ID, hiring.SendMessageInput{RoomID: room.ID, Body: "Reply", ClientMessageID: &id})
		if err != nil || first.Message.Seq != 3 {
			t.Fatalf("%+v %v", first, err)
		}
		again, err := e.Hiring.SendMessage(e.Ctx, fr.ID, hiring.SendMessageInput{RoomID: room.ID, Body: "Reply", ClientMessageID: &id})
		if err != nil || again.Message.ID != first.Message.ID {
			t.Fatalf("a retry is stored once: %+v %v", again, err)
		}
		_, err = e.Hiring.SendMessage(e.Ctx, fr.ID, hiring.SendMessageInput{RoomID: room.ID, Body: "mail me: fr@example.com"})
		hiringtest.WantCode(t, err, market.CodeContactInfo)
		_, err = e.Hiring.SendMessage(e.Ctx, e.MustCreateUser().ID, hiring.SendMessageInput{RoomID: room.ID, Body: "Hi"})
		hiringtest.WantCode(t, err, market.CodeNotFound)
	})
	t.Run("Room, Rooms, RoomMessages", func(t *testing.T) {
		got, err := e.Hiring.Room(e.Ctx, fr.ID, room.ID)
		if err != nil || got.LastSeq != 3 {
			t.Fatalf("%+v %v", got, err)
		}
		_, err = e.Hiring.Room(e.Ctx, e.MustCreateUser().ID, room.ID)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		page, err := e.Hiring.Rooms(e.Ctx, client.ID, market.RoomPageRequest{Limit: 10})
		if err != nil || page.Total != 1 || page.Items[0].Room.ID != room.ID {
			t.Fatalf("%+v %v", page, err)
		}
		msgs, err := e.Hiring.RoomMessages(e.Ctx, got, market.MessagePageRequest{Limit: 2, Backward: true})
		if err != nil || msgs.Total != 3 || len(msgs.Items) != 2 || msgs.Items[1].Seq != 3 {
			t.Fatalf("%+v %v", msgs, err)
		}
	})
	t.Run("MarkRoomRead", func(t *testing.T) {
		one := int64(1)
		if _, err := e.Hiring.MarkRoomRead(e.Ctx, fr.ID, room.ID, &one); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Hiring.MarkRoomRead(e.Ctx, fr.ID, room.ID, nil); err != nil {
			t.Fatal(err)
		}
		members, err := e.Hiring.MembersByRoomID(e.Ctx, []int64{room.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range members[room.ID] {
			if m.UserID == fr.ID && m.LastReadSeq != 3 {
				t.Fatalf("read position %d, want the newest, 3", m.LastReadSeq)
			}
		}
		ten := int64(10)
		_, err = e.Hiring.MarkRoomRead(e.Ctx, fr.ID, room.ID, &ten)
		hiringtest.WantCode(t, err, market.CodeValidationFailed)
	})
	t.Run("room loaders", func(t *testing.T) {
		last, err := e.Hiring.LastMessageByRoomID(e.Ctx, []int64{room.ID})
		if err != nil || last[room.ID].Seq != 3 {
			t.Fatalf("LastMessageByRoomID: %+v %v", last, err)
		}
		byProposal, err := e.Hiring.RoomByProposalID(e.Ctx, []int64{p.ID})
		if err != nil || byProposal[p.ID].ID != room.ID {
			t.Fatalf("RoomByProposalID: %+v %v", byProposal, err)
		}
		byID, err := e.Hiring.RoomsByID(e.Ctx, []int64{room.ID})
		if err != nil || byID[room.ID] == nil {
			t.Fatalf("RoomsByID: %v", err)
		}
		sharing, err := e.Hiring.ContactSharingByRoomID(e.Ctx, []int64{room.ID})
		if err != nil || sharing[room.ID] {
			t.Fatalf("no contract, no sharing: %v %v", sharing, err)
		}
	})
}

func TestOffersAndContracts(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	job := e.MustCreateJob(client)
	p := e.MustCreateProposal(job, fr)
	room := e.MustCreateRoom(job, p)

	t.Run("SendOffer OK and ErrForbidden", func(t *testing.T) {
		_, _, err := e.Hiring.SendOffer(e.Ctx, fr.ID, hiring.SendOfferInput{ProposalID: p.ID})
		hiringtest.WantCode(t, err, market.CodeForbidden)
		o, prop, err := e.Hiring.SendOffer(e.Ctx, client.ID, hiring.SendOfferInput{ProposalID: p.ID, Message: "Offer"})
		if err != nil || o.Status != market.OfferPending || prop.Status != market.ProposalOffered {
			t.Fatalf("%+v %+v %v", o, prop, err)
		}
		_, _, err = e.Hiring.SendOffer(e.Ctx, client.ID, hiring.SendOfferInput{ProposalID: p.ID})
		hiringtest.WantCode(t, err, market.CodeInvalidState)
		if _, err := e.Hiring.WithdrawOffer(e.Ctx, fr.ID, o.ID); market.ErrorCode(err) != market.CodeForbidden {
			t.Fatalf("the freelancer withdraws the client's offer: %v", err)
		}
		got, err := e.Hiring.WithdrawOffer(e.Ctx, client.ID, o.ID)
		if err != nil || got.Status != market.OfferWithdrawn {
			t.Fatalf("WithdrawOffer: %+v %v", got, err)
		}
	})
	t.Run("DeclineOffer", func(t *testing.T) {
		o, _, err := e.Hiring.SendOffer(e.Ctx, client.ID, hiring.SendOfferInput{ProposalID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Hiring.DeclineOffer(e.Ctx, client.ID, hiring.DeclineOfferInput{OfferID: o.ID})
		hiringtest.WantCode(t, err, market.CodeForbidden)
		got, err := e.Hiring.DeclineOffer(e.Ctx, fr.ID, hiring.DeclineOfferInput{OfferID: o.ID, Message: "Not now"})
		if err != nil || got.Status != market.OfferDeclined {
			t.Fatalf("%+v %v", got, err)
		}
	})
	var k *market.Contract
	t.Run("AcceptOffer starts a contract (R19)", func(t *testing.T) {
		o, _, err := e.Hiring.SendOffer(e.Ctx, client.ID, hiring.SendOfferInput{ProposalID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = e.Hiring.AcceptOffer(e.Ctx, client.ID, o.ID)
		hiringtest.WantCode(t, err, market.CodeForbidden)
		var accepted *market.Offer
		accepted, k, err = e.Hiring.AcceptOffer(e.Ctx, fr.ID, o.ID)
		if err != nil || accepted.Status != market.OfferAccepted || k.Status != market.ContractActive || k.FreelancerID != fr.ID {
			t.Fatalf("%+v %+v %v", accepted, k, err)
		}
		_, _, err = e.Hiring.AcceptOffer(e.Ctx, fr.ID, o.ID)
		hiringtest.WantCode(t, err, market.CodeInvalidState)
		sharing, _ := e.Hiring.ContactSharingByRoomID(e.Ctx, []int64{room.ID})
		if !sharing[room.ID] {
			t.Fatal("with a contract the room may share contact details (R17)")
		}
	})
	t.Run("PayBonus (R19a)", func(t *testing.T) {
		_, _, err := e.Hiring.PayBonus(e.Ctx, fr.ID, hiring.PayBonusInput{ContractID: k.ID, Amount: market.USD(1000), Note: "x"})
		hiringtest.WantCode(t, err, market.CodeForbidden)
		b, _, err := e.Hiring.PayBonus(e.Ctx, client.ID, hiring.PayBonusInput{ContractID: k.ID, Amount: market.USD(1000), Note: "Thanks"})
		if err != nil || b.Amount.Minor != 1000 {
			t.Fatalf("%+v %v", b, err)
		}
		_, _, err = e.Hiring.PayBonus(e.Ctx, client.ID, hiring.PayBonusInput{ContractID: k.ID, Amount: market.USD(0), Note: "zero"})
		hiringtest.WantCode(t, err, market.CodeValidationFailed)
	})
	t.Run("LogTime (R19a)", func(t *testing.T) {
		te, _, err := e.Hiring.LogTime(e.Ctx, fr.ID, hiring.LogTimeInput{ContractID: k.ID, Minutes: 60, Memo: "API"})
		if err != nil || te.Kind != market.TimeTracked {
			t.Fatalf("%+v %v", te, err)
		}
		_, _, err = e.Hiring.LogTime(e.Ctx, client.ID, hiring.LogTimeInput{ContractID: k.ID, Minutes: 60})
		hiringtest.WantCode(t, err, market.CodeForbidden)
	})
	t.Run("reads: Contracts, Contract, Offer and loaders", func(t *testing.T) {
		page, err := e.Hiring.Contracts(e.Ctx, client.ID, market.PageRequest{Limit: 10, Count: true})
		if err != nil || page.Total != 1 {
			t.Fatalf("%+v %v", page, err)
		}
		if _, err := e.Hiring.Contract(e.Ctx, fr.ID, k.ID); err != nil {
			t.Fatal(err)
		}
		_, err = e.Hiring.Contract(e.Ctx, e.MustCreateUser().ID, k.ID)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		if _, err := e.Hiring.Offer(e.Ctx, fr.ID, k.OfferID); err != nil {
			t.Fatal(err)
		}
		_, err = e.Hiring.Offer(e.Ctx, e.MustCreateUser().ID, k.OfferID)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		offers, err := e.Hiring.OffersByProposalID(e.Ctx, []int64{p.ID})
		if err != nil || len(offers[p.ID]) != 3 || offers[p.ID][0].ID != k.OfferID {
			t.Fatalf("OffersByProposalID, newest first: %+v %v", offers[p.ID], err)
		}
		byID, err := e.Hiring.OffersByID(e.Ctx, []int64{k.OfferID})
		if err != nil || byID[k.OfferID] == nil {
			t.Fatalf("OffersByID: %v", err)
		}
		ks, err := e.Hiring.ContractsByProposalID(e.Ctx, []int64{p.ID})
		if err != nil || ks[p.ID].ID != k.ID {
			t.Fatalf("ContractsByProposalID: %v", err)
		}
		kb, err := e.Hiring.ContractsByID(e.Ctx, []int64{k.ID})
		if err != nil || kb[k.ID] == nil {
			t.Fatalf("ContractsByID: %v", err)
		}
		bonuses, err := e.Hiring.BonusesByContractID(e.Ctx, []int64{k.ID})
		if err != nil || len(bonuses[k.ID]) != 1 {
			t.Fatalf("BonusesByContractID: %v %v", bonuses, err)
		}
		times, err := e.Hiring.TimeEntriesByContractID(e.Ctx, []int64{k.ID})
		if err != nil || len(times[k.ID]) != 1 || times[k.ID][0].Minutes != 60 {
			t.Fatalf("TimeEntriesByContractID: %v %v", times, err)
		}
	})
}
