package main

import (
	"strings"
	"testing"
)

// Bad document storage or mail settings stop serve before it listens, with
// a usage error naming the setting.
func TestServeRefusesBadPartnershipSettings(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--addr", "127.0.0.1:0", "--smtp", "mail.example:25"}, "--smtp: SMTP URL must look like"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--smtp", "smtp://mail.example:25"}, "no from address"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--documents", "s3://key:secret@127.0.0.1:1"}, "--documents: document storage URL has no bucket"},
	} {
		code, out, errs := run(t, sqliteEnv(t), "", tt.args...)
		if code != exitUsage || !strings.Contains(out+errs, tt.want) {
			t.Errorf("jtai %s: exit %d, want %d; output %q, want it to contain %q", strings.Join(tt.args, " "), code, exitUsage, out+errs, tt.want)
		}
	}
}
