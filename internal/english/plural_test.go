package english

import "testing"

func TestCount(t *testing.T) {
	for _, tc := range []struct {
		n          int
		noun, want string
	}{
		{0, "run", "0 runs"},
		{1, "run", "1 run"},
		{2, "run", "2 runs"},
		{1, "policy", "1 policy"},
		{2, "policy", "2 policies"},
		{2, "key", "2 keys"},
		{2, "day", "2 days"},
		{1, "report file", "1 report file"},
		{3, "report file", "3 report files"},
		{16833, "finding", "16,833 findings"},
		{-1500, "finding", "-1,500 findings"},
	} {
		if got := Count(tc.n, tc.noun); got != tc.want {
			t.Errorf("Count(%d, %q) = %q, want %q", tc.n, tc.noun, got, tc.want)
		}
	}
	if Verb(1) != "has" || Verb(0) != "have" || Verb(2) != "have" {
		t.Errorf("Verb: 1 %s, 0 %s, 2 %s", Verb(1), Verb(0), Verb(2))
	}
}
