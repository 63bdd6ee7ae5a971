package market

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// DefaultCurrency is used where an input leaves the currency out.
const DefaultCurrency = "USD"

// Money is an exact amount in minor units (cents) of a currency.
type Money struct {
	Minor    int64
	Currency string
}

// USD returns an amount of US dollars given in cents.
func USD(cents int64) Money { return Money{Minor: cents, Currency: "USD"} }

// Amount renders the amount as a decimal string with two decimals ("45.00").
func (m Money) Amount() string {
	sign := ""
	v := m.Minor
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

func (m Money) String() string { return m.Amount() + " " + m.Currency }

// Bounds of rates and prices, in cents, the same wherever one is entered
// (SPEC API conventions): hourly rates from 3.00 to 999.99, fixed prices
// from 0.01 up to 1,000,000.00.
const (
	MinHourlyRate = 300
	MaxHourlyRate = 99999
	MaxFixedPrice = 100_000_000
)

// CheckHourlyRate checks an hourly rate against its bounds. Errors:
// VALIDATION_FAILED on field's amount.
func CheckHourlyRate(field string, m Money) error {
	if m.Minor < MinHourlyRate || m.Minor > MaxHourlyRate {
		return Invalid(field+".amount", "an hourly rate must be between %s and %s, not %s",
			USD(MinHourlyRate).Amount(), USD(MaxHourlyRate).Amount(), m.Amount())
	}
	return nil
}

// CheckFixedPrice checks a fixed price (a budget, a bid, an offer's price)
// against its bounds. Errors: VALIDATION_FAILED on field's amount.
func CheckFixedPrice(field string, m Money) error {
	if m.Minor <= 0 || m.Minor > MaxFixedPrice {
		return Invalid(field+".amount", "a fixed price must be positive and at most %s, not %s", USD(MaxFixedPrice).Amount(), m.Amount())
	}
	return nil
}

// moneyAmount is the one accepted shape of an amount: digits without
// leading zeros (or a single 0), then optionally a dot and one or two
// digits. No sign, no spaces, no exponent, no thousands separators.
var moneyAmount = regexp.MustCompile(`^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$`)

// ParseMoney reads a decimal amount ("150", "150.5", "150.00") and a currency
// code, strictly: the amount as moneyAmount says, the currency "USD" (an
// input that leaves it out gets the default before this). field names the
// input for errors. Errors: VALIDATION_FAILED on field.amount or
// field.currency.
func ParseMoney(field, amount, currency string) (Money, error) {
	if currency != "USD" {
		if currency == "" {
			return Money{}, Invalid(field+".currency", "the currency must not be empty: leave it out for USD")
		}
		return Money{}, Invalid(field+".currency", "unsupported currency %q: only USD is supported", currency)
	}
	if !moneyAmount.MatchString(amount) {
		return Money{}, Invalid(field+".amount", "amount %q must be a decimal number with at most two decimals and nothing around it, like \"45.00\"", amount)
	}
	whole, frac, _ := strings.Cut(amount, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return Money{}, Invalid(field+".amount", "amount %q is not a valid amount", amount)
	}
	frac = (frac + "00")[:2]
	f, _ := strconv.ParseInt(frac, 10, 64) // two digits, checked above
	return Money{Minor: w*100 + f, Currency: currency}, nil
}
