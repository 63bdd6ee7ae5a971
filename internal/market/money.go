package market

import (
	"fmt"
	"math"
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

// ParseMoney reads a decimal amount ("150", "150.5", "150.00") and a currency
// code (empty means USD). field names the input for errors.
func ParseMoney(field, amount, currency string) (Money, error) {
	if currency == "" {
		currency = DefaultCurrency
	}
	currency = strings.ToUpper(strings.TrimSpace(currency))
	if currency != "USD" {
		return Money{}, Invalid(field+".currency", "unsupported currency %q: only USD is supported", currency)
	}
	s := strings.TrimSpace(amount)
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && (frac == "" || len(frac) > 2)) || strings.ContainsAny(whole, "+-") {
		return Money{}, Invalid(field+".amount", "amount %q must be a decimal number with at most two decimals, like \"45.00\"", amount)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > math.MaxInt64/100-1 {
		return Money{}, Invalid(field+".amount", "amount %q is not a valid amount", amount)
	}
	var f int64
	if hasDot {
		if len(frac) == 1 {
			frac += "0"
		}
		f, err = strconv.ParseInt(frac, 10, 64)
		if err != nil || strings.ContainsAny(frac, "+-") {
			return Money{}, Invalid(field+".amount", "amount %q is not a valid amount", amount)
		}
	}
	return Money{Minor: w*100 + f, Currency: currency}, nil
}
