package market

// EstimatedDuration is a freelancer's estimate of how long the work takes.
type EstimatedDuration string

const (
	DurationLessThanMonth EstimatedDuration = "LESS_THAN_1_MONTH"
	DurationOneToThree    EstimatedDuration = "ONE_TO_3_MONTHS"
	DurationThreeToSix    EstimatedDuration = "THREE_TO_6_MONTHS"
	DurationMoreThanSix   EstimatedDuration = "MORE_THAN_6_MONTHS"
)

// Valid reports whether d is one of the known durations.
func (d EstimatedDuration) Valid() bool {
	switch d {
	case DurationLessThanMonth, DurationOneToThree, DurationThreeToSix, DurationMoreThanSix:
		return true
	}
	return false
}

// Terms are what is on the table: an hourly rate or a fixed price, and an
// optional estimated duration.
type Terms struct {
	HourlyRate        *Money
	FixedPrice        *Money
	EstimatedDuration *EstimatedDuration
}

// ValidateFor checks terms against a job's contract type. field names the
// input for errors.
func (t Terms) ValidateFor(field string, j *Job) error {
	if (t.HourlyRate == nil) == (t.FixedPrice == nil) {
		return Invalid(field, "terms need exactly one of hourlyRate or fixedPrice")
	}
	switch j.ContractType {
	case ContractHourly:
		if t.HourlyRate == nil {
			return Invalid(field+".hourlyRate", "the job is hourly: propose an hourlyRate")
		}
		if err := CheckHourlyRate(field+".hourlyRate", *t.HourlyRate); err != nil {
			return err
		}
	case ContractFixed:
		if t.FixedPrice == nil {
			return Invalid(field+".fixedPrice", "the job is fixed-price: propose a fixedPrice")
		}
		if err := CheckFixedPrice(field+".fixedPrice", *t.FixedPrice); err != nil {
			return err
		}
	}
	if t.EstimatedDuration != nil && !t.EstimatedDuration.Valid() {
		return Invalid(field+".estimatedDuration", "unknown estimated duration %q", *t.EstimatedDuration)
	}
	return nil
}
