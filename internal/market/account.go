package market

import (
	_ "embed"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// AccountRole is how a user acts on the marketplace (R26). A user is a
// freelancer while they have a freelancer profile (signing up as a
// freelancer creates an empty one; updateProfile creates one too), and a
// client once they signed up as one or posted a job. One user may be both.
type AccountRole string

const (
	AccountFreelancer AccountRole = "FREELANCER"
	AccountClient     AccountRole = "CLIENT"
)

// Limits of account inputs.
const (
	MaxEmailLen           = 254
	MinPasswordLen        = 10
	MaxPasswordBytes      = 72 // bcrypt ignores what comes after
	MaxUserNameLen        = 100
	DefaultSignupConnects = 10 // the free monthly grant of the platform the seed comes from
)

// NormalizeEmail trims and lower-cases an email address and checks its form:
// a bare address (no display name), a local part and a domain with a dot.
// Emails are unique regardless of case because they are stored normalized.
// Errors: VALIDATION_FAILED.
func NormalizeEmail(field, email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	if e == "" {
		return "", Invalid(field, "email is required")
	}
	if len(e) > MaxEmailLen {
		return "", Invalid(field, "email must be at most %d characters", MaxEmailLen)
	}
	a, err := mail.ParseAddress(e)
	at := strings.LastIndexByte(e, '@')
	if err != nil || a.Address != e || at < 1 || !strings.Contains(e[at+1:], ".") ||
		strings.HasSuffix(e, ".") || strings.ContainsAny(e, " \t\r\n") {
		return "", Invalid(field, "not a valid email address")
	}
	return e, nil
}

//go:embed common-passwords.txt
var commonPasswordsText string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonPasswordsText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[strings.ToLower(l)] = true
		}
	}
	return m
}()

// CheckPassword applies the password policy: at least MinPasswordLen
// characters, at most MaxPasswordBytes bytes, not one of the most common
// passwords, and not the email address or the name itself.
// Errors: VALIDATION_FAILED.
func CheckPassword(field, password, email, name string) error {
	if !utf8.ValidString(password) || strings.ContainsRune(password, 0) {
		return Invalid(field, "the password must be valid UTF-8 text")
	}
	if utf8.RuneCountInString(password) < MinPasswordLen {
		return Invalid(field, "the password must be at least %d characters", MinPasswordLen)
	}
	if len(password) > MaxPasswordBytes {
		return Invalid(field, "the password must be at most %d bytes", MaxPasswordBytes)
	}
	low := strings.ToLower(password)
	if commonPasswords[low] || isOneRepeated(low) {
		return Invalid(field, "this password is one of the most common ones: choose another")
	}
	if low == strings.ToLower(email) || low == strings.ToLower(strings.TrimSpace(name)) ||
		(strings.Contains(email, "@") && low == strings.ToLower(email[:strings.IndexByte(email, '@')])) {
		return Invalid(field, "the password must not be your email address or name")
	}
	return nil
}

// CheckNewPassword applies the policy to a new password, which must also
// differ from the current one. Errors: VALIDATION_FAILED.
func CheckNewPassword(field, current, next, email, name string) error {
	if next == current {
		return Invalid(field, "the new password must differ from the current one")
	}
	return CheckPassword(field, next, email, name)
}

func isOneRepeated(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.Trim(s, string(r)) == ""
}

// CheckUserName trims a user's name and checks it: 1 to MaxUserNameLen
// characters. Errors: VALIDATION_FAILED.
func CheckUserName(field, name string) (string, error) {
	return CheckText(field, name, MaxUserNameLen, true)
}

// NewAccount is a validated sign-up.
type NewAccount struct {
	Email, Name, Password string
	Freelancer, Client    bool
}

// CheckSignUp validates a sign-up (R26): email normalized, name, password
// policy, and at least one role. Errors: VALIDATION_FAILED.
func CheckSignUp(email, password, name string, roles []AccountRole) (NewAccount, error) {
	var a NewAccount
	var err error
	if a.Email, err = NormalizeEmail("input.email", email); err != nil {
		return a, err
	}
	if a.Name, err = CheckUserName("input.name", name); err != nil {
		return a, err
	}
	if err = CheckPassword("input.password", password, a.Email, a.Name); err != nil {
		return a, err
	}
	a.Password = password
	if len(roles) == 0 {
		return a, Invalid("input.roles", "choose at least one role: FREELANCER, CLIENT or both")
	}
	for _, r := range roles {
		switch r {
		case AccountFreelancer:
			a.Freelancer = true
		case AccountClient:
			a.Client = true
		default:
			return a, Invalid("input.roles", "unknown role %q", r)
		}
	}
	return a, nil
}

// Roles lists the roles a user acts in.
func Roles(freelancer, client bool) []AccountRole {
	out := []AccountRole{}
	if freelancer {
		out = append(out, AccountFreelancer)
	}
	if client {
		out = append(out, AccountClient)
	}
	return out
}
