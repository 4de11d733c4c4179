package model

import "testing"

func TestSeverity(t *testing.T) {
	tests := []struct {
		in      string
		want    Severity
		wantErr bool
	}{
		{"critical", SeverityCritical, false},
		{"HIGH", SeverityHigh, false},
		{"Medium", SeverityMedium, false},
		{"low", SeverityLow, false},
		{"info", SeverityInfo, false},
		{"none", SeverityUnknown, true},
		{"", SeverityUnknown, true},
	}
	for _, tt := range tests {
		got, err := ParseSeverity(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseSeverity(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	if !SeverityCritical.AtLeast(SeverityHigh) || !SeverityHigh.AtLeast(SeverityHigh) || SeverityMedium.AtLeast(SeverityHigh) || SeverityUnknown.AtLeast(SeverityInfo) {
		t.Error("AtLeast ordering is wrong")
	}
}

func TestFingerprint(t *testing.T) {
	a := Fingerprint("ATL-KEY-001", "k1")
	if a != Fingerprint("ATL-KEY-001", "k1") || len(a) != 32 {
		t.Fatalf("fingerprint %q not stable or wrong length", a)
	}
	// The separator keeps ("AB","C") and ("A","BC") apart.
	if Fingerprint("AB", "C") == Fingerprint("A", "BC") || a == Fingerprint("ATL-KEY-002", "k1") {
		t.Fatal("fingerprints collide")
	}
}
