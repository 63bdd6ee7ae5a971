package market

import "strings"

// CheckReason validates a reason picked from the list of kind (data, not an
// enum: R7) and the message given with it. r is the reason picked (nil: no
// such reason); it must belong to that list and be active. A reason that
// requires a message ("Other") needs one. list names the query that lists
// the reasons, for the error. It returns the trimmed message.
// Errors: VALIDATION_FAILED.
func CheckReason(r *Reason, kind ReasonKind, list, message string) (string, error) {
	if r == nil || r.Kind != kind || !r.Active {
		return "", Invalid("input.reasonId", "unknown reason: pick one from %s", list)
	}
	if r.RequiresMessage && strings.TrimSpace(message) == "" {
		return "", Invalid("input.message", "the reason %q needs a message", r.Label)
	}
	return CheckText("input.message", message, MaxMessageLen, r.RequiresMessage)
}
