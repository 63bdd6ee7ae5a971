package market

import "testing"

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		amount, currency string
		want             int64
	}{
		{"45", "", 4500}, {"45.5", "USD", 4550}, {"45.05", "usd", 4505}, {"0.99", "", 99}, {" 1500.00 ", "", 150000},
	} {
		m, err := ParseMoney("input.x", tc.amount, tc.currency)
		if err != nil || m.Minor != tc.want || m.Currency != "USD" {
			t.Errorf("ParseMoney(%q, %q) = %+v, %v; want %d USD", tc.amount, tc.currency, m, err, tc.want)
		}
	}
}

func TestParseMoneyErrors(t *testing.T) {
	for _, tc := range []struct{ amount, currency, field string }{
		{"", "", "input.x.amount"}, {"12.345", "", "input.x.amount"}, {"-5", "", "input.x.amount"}, {"+5", "", "input.x.amount"},
		{"1e3", "", "input.x.amount"}, {"5.", "", "input.x.amount"}, {".5", "", "input.x.amount"}, {"abc", "", "input.x.amount"},
		{"99999999999999999999", "", "input.x.amount"}, {"10", "EUR", "input.x.currency"},
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
