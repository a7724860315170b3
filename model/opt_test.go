package model_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
)

// Opt says absent, null or a value on the wire both ways: a patch leaves
// out what it does not change.
func TestOptRoundTrip(t *testing.T) {
	day := time.Date(2026, 12, 24, 23, 59, 59, 0, time.UTC)
	for _, tc := range []struct {
		name string
		in   model.ShareLinkPatch
		want string
	}{
		{"absent", model.ShareLinkPatch{}, `{"remove_password":false}`},
		{"null", model.ShareLinkPatch{ExpiresAt: model.Null[time.Time]()}, `{"expires_at":null,"remove_password":false}`},
		{"value", model.ShareLinkPatch{ExpiresAt: model.Set(day)}, `{"expires_at":"2026-12-24T23:59:59Z","remove_password":false}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.in)
			if err != nil || string(b) != tc.want {
				t.Fatalf("marshal: %s %v, want %s", b, err, tc.want)
			}
			var back model.ShareLinkPatch
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back.ExpiresAt.Set != tc.in.ExpiresAt.Set || (back.ExpiresAt.Value == nil) != (tc.in.ExpiresAt.Value == nil) ||
				back.ExpiresAt.Value != nil && !back.ExpiresAt.Value.Equal(day) {
				t.Fatalf("round trip: %+v", back.ExpiresAt)
			}
		})
	}
}
