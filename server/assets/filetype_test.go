package assets

import "testing"

func TestCleanFiletype(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want "" means refused
	}{
		{"", "application/octet-stream"},
		{"image/jpeg", "image/jpeg"},
		{" Image/JPEG ", "image/jpeg"},
		{"text/plain; charset=UTF-8", "text/plain; charset=utf-8"},
		{"video/webm; codecs=vp9", "video/webm"},
		{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"chemical/x-pdb", "chemical/x-pdb"},
		{"text/plain,text/html", ""},
		{"text/html\x00", ""},
		{"text/html\r\nX: y", ""},
		{"text", ""},
		{"/html", ""},
		{"text/", ""},
		{"text/html/x", ""},
		{"image/png; charset=ü", ""},
		{"text/plain; charset=\"a b\"", ""},
		{"video/webm; codecs=\"vp8, vorbis\"", ""},
	} {
		got, err := CleanFiletype(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("CleanFiletype(%q) = %q, want refused", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("CleanFiletype(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
