package market

import (
	"fmt"
	"net/url"
	"strings"
)

// ProposalContent is the part of a proposal whose edits R11 limits: the
// cover letter, the screening answers and the attachments.
type ProposalContent struct {
	CoverLetter string
	Answers     []Answer
	Attachments []Attachment
}

// CheckProposalContent validates and normalizes proposal content for a job
// (R6): a cover-letter job needs a cover letter; an instant-interview job
// needs an answer to every screening question instead (a cover letter is
// optional there). Answers to unknown questions, duplicate answers and bad
// attachments are rejected. Errors: VALIDATION_FAILED.
func CheckProposalContent(job *Job, questions []*Question, in ProposalContent) (ProposalContent, error) {
	var out ProposalContent
	var err error
	needLetter := job.InterviewMode == InterviewCoverLetter
	if out.CoverLetter, err = CheckText("input.coverLetter", in.CoverLetter, MaxCoverLetterLen, needLetter); err != nil {
		return out, err
	}
	known := make(map[int64]bool, len(questions))
	for _, q := range questions {
		known[q.ID] = true
	}
	given := make(map[int64]bool, len(in.Answers))
	for i, a := range in.Answers {
		field := fmt.Sprintf("input.answers.%d", i)
		if !known[a.QuestionID] {
			return out, Invalid(field+".questionId", "not a screening question of this job")
		}
		if given[a.QuestionID] {
			return out, Invalid(field+".questionId", "this question is answered twice")
		}
		text, err := CheckText(field+".answer", a.Text, MaxAnswerLen, true)
		if err != nil {
			return out, err
		}
		given[a.QuestionID] = true
		out.Answers = append(out.Answers, Answer{QuestionID: a.QuestionID, Text: text})
	}
	if job.InterviewMode == InterviewInstant {
		for i, q := range questions {
			if !given[q.ID] {
				return out, Invalid("input.answers", "this job uses an instant interview: answer every screening question (question %d, %q, has no answer)", i+1, q.Text)
			}
		}
	}
	if len(in.Attachments) > MaxAttachments {
		return out, Invalid("input.attachments", "at most %d attachments", MaxAttachments)
	}
	for i, a := range in.Attachments {
		field := fmt.Sprintf("input.attachments.%d", i)
		a.Name = strings.TrimSpace(a.Name)
		if a.Name == "" || len(a.Name) > 255 {
			return out, Invalid(field+".name", "an attachment needs a name of 1 to 255 characters")
		}
		if !strings.Contains(a.ContentType, "/") || len(a.ContentType) > 255 {
			return out, Invalid(field+".contentType", "an attachment needs a media type such as application/pdf")
		}
		if a.Size < 0 || a.Size > MaxAttachmentSize {
			return out, Invalid(field+".size", "an attachment must be at most %d bytes", MaxAttachmentSize)
		}
		u, err := url.Parse(a.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return out, Invalid(field+".url", "an attachment needs an http(s) URL")
		}
		out.Attachments = append(out.Attachments, a)
	}
	return out, nil
}
