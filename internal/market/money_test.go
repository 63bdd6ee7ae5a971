package market

import "testing"

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		amount, currency string
		want             int64
	}{
		{"45", "USD", 4500}, {"45.5", "USD", 4550}, {"45.05", "USD", 4505}, {"0.99", "USD", 99}, {"1500.00", "USD", 150000},
		{"0", "USD", 0}, {"999999999999.99", "USD", 99999999999999},
	} {
		m, err := ParseMoney("input.x", tc.amount, tc.currency)
		if err != nil || m.Minor != tc.want || m.Currency != "USD" {
			t.Errorf("ParseMoney(%q, %q) = %+v, %v; want %d USD", tc.amount, tc.currency, m, err, tc.want)
		}
	}
}

func TestParseMoneyErrors(t *testing.T) {
	for _, tc := range []struct{ amount, currency, field string }{
		{"", "USD", "input.x.amount"}, {"12.345", "USD", "input.x.amount"}, {"-5", "USD", "input.x.amount"}, {"+5", "USD", "input.x.amount"},
		{"1e3", "USD", "input.x.amount"}, {"5.", "USD", "input.x.amount"}, {".5", "USD", "input.x.amount"}, {"abc", "USD", "input.x.amount"},
		{"99999999999999999999", "USD", "input.x.amount"}, {"10", "EUR", "input.x.currency"},
		{" 45.00", "USD", "input.x.amount"}, {"45.00 ", "USD", "input.x.amount"}, {"045.00", "USD", "input.x.amount"},
		{"1,000.00", "USD", "input.x.amount"}, {"４５", "USD", "input.x.amount"}, {"45.00\x00", "USD", "input.x.amount"},
		{"45", "", "input.x.currency"}, {"45", "usd", "input.x.currency"}, {"45", " USD", "input.x.currency"},
	} {
		_, err := ParseMoney("input.x", tc.amount, tc.currency)
		var e *Error
		if !IsCode(err, CodeValidationFailed) {
			t.Errorf("ParseMoney(%q, %q): want VALIDATION_FAILED, got %v", tc.amount, tc.currency, err)
		} else if e = err.(*Error); e.Field != tc.field {
			t.Errorf("ParseMoney(%q, %q): field %q, want %q", tc.amount, tc.currency, e.Field, tc.field)
		}
	}
}

func TestMoneyAmount(t *testing.T) {
	for minor, want := range map[int64]string{0: "0.00", 5: "0.05", 4500: "45.00", 123456: "1234.56", -250: "-2.50"} {
		if got := (Money{Minor: minor, Currency: "USD"}).Amount(); got != want {
			t.Errorf("Amount(%d) = %s, want %s", minor, got, want)
		}
	}
}

func TestRateAndPriceBounds(t *testing.T) {
	for minor, ok := range map[int64]bool{299: false, 300: true, 99999: true, 100000: false, 1000000000: false} {
		if err := CheckHourlyRate("input.rate", USD(minor)); (err == nil) != ok {
			t.Errorf("hourly %d: %v", minor, err)
		}
	}
	for minor, ok := range map[int64]bool{0: false, 1: true, 100_000_000: true, 100_000_001: false} {
		if err := CheckFixedPrice("input.price", USD(minor)); (err == nil) != ok {
			t.Errorf("fixed %d: %v", minor, err)
		}
	}
	if err := CheckHourlyRate("input.terms.hourlyRate", USD(1_000_000_000)); err == nil || err.(*Error).Field != "input.terms.hourlyRate.amount" {
		t.Errorf("field: %v", err)
	}
}
