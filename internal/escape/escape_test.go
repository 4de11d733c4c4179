package escape

import "testing"

func TestEscapes(t *testing.T) {
	hostile := "a|b `c` <script>x</script>\n[l](https://e.example)\x1b[31m\u202e"
	if got := TableCells("| " + MDText(hostile) + " | " + MDCodeCell(hostile) + " |"); got != 2 {
		t.Errorf("escaped values split the row into %d cells, want 2", got)
	}
	tests := []struct{ name, got, want string }{
		{"control", Control("a\nb\x1b\u202e"), `a\nb\x1b\u202e`},
		// Unicode's line and paragraph separators end a line for YAML (the
		// attestation draft's comments) and for JavaScript; NEL is a C1 control.
		{"line separators", Control("a\u2028b\u2029c\u0085d"), `a\u2028b\u2029c\u0085d`},
		{"text", MDText("*x* <b>|"), `\*x\* &lt;b&gt;\|`},
		{"code with backticks", MDCode("a`b"), "``a`b``"},
		{"code edge backtick", MDCode("`a"), "`` `a ``"},
		{"empty code", MDCode(""), ""},
		{"fence", MDFence("x\n```\ny"), "````"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
