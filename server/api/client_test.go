package api_test

import (
	"encoding/json"
	"testing"

	"github.com/ferryhq/ferry/client"
)

// wantErr fails unless err is an API error with status and, when code is
// set, that error code; status 0 wants no error.
func wantErr(t *testing.T, what string, err error, status int, code string) {
	t.Helper()
	if status == 0 {
		if err != nil {
			t.Fatalf("%s: %v (status %d)", what, err, client.StatusOf(err))
		}
		return
	}
	e, ok := err.(*client.Error)
	if !ok {
		t.Fatalf("%s: got %v, want an API error with status %d", what, err, status)
	}
	if e.Status != status || code != "" && e.Code != code {
		t.Fatalf("%s: status %d code %q (%s), want %d %q", what, e.Status, e.Code, e.Detail, status, code)
	}
}

// jsonFields is v's JSON object as a map, for tests that change a typed
// request field by field (read-modify-write, bad-input tables).
func jsonFields(t *testing.T, v any) map[string]any {
	t.Helper()
	var out map[string]any
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	if err != nil {
		t.Fatalf("%T as a JSON object: %v", v, err)
	}
	return out
}
