package sharing

import (
	"testing"

	"github.com/ferryhq/ferry/model"
)

func TestKeyProblem(t *testing.T) {
	for _, tc := range []struct {
		key string
		ok  bool
	}{
		{"Launch2025", true},
		{"abc", true},
		{"ab", false},
		{"press-kit", false},
		{"press kit", false},
		{"café", false},
		{string(make([]byte, 65)), false},
	} {
		if got := keyProblem(tc.key) == ""; got != tc.ok {
			t.Errorf("keyProblem(%q) ok = %v, want %v", tc.key, got, tc.ok)
		}
	}
}

func TestActionReason(t *testing.T) {
	folder := Target{Type: "folder", ID: "f"}
	files := Target{Type: "assets", Assets: []model.Asset{{ID: "a"}, {ID: "b"}}}
	for _, tc := range []struct {
		name    string
		target  Target
		access  string // "" when the privileges are not known
		link    *model.ShareLink
		action  string
		allowed bool
	}{
		{"folder, unknown privileges, uploads", folder, "", nil, "upload", true},
		{"files cannot take uploads", files, "", nil, "upload", false},
		{"files can be downloaded", files, "", nil, "download", true},
		{"download access caps at downloads", folder, "download", nil, "upload_download", false},
		{"download access allows downloads", folder, "download", nil, "download", true},
		{"upload access allows uploads and downloads", folder, "upload", nil, "upload_download", true},
		{"upload access is not full", folder, "upload", nil, "full", false},
		{"preview access is previews only", folder, "preview", nil, "download", false},
		{"what a link has stays", folder, "preview", &model.ShareLink{AllowedActions: "full"}, "full", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newShareForm("public", tc.target)
			f.link = tc.link
			if tc.access != "" {
				f.priv = &model.Privilege{Access: tc.access, Share: true}
			}
			if got := f.actionReason(tc.action) == ""; got != tc.allowed {
				t.Errorf("allowed = %v, want %v (%q)", got, tc.allowed, f.actionReason(tc.action))
			}
		})
	}
}

func TestFormDraftBody(t *testing.T) {
	field := func(label, typ string, opts ...string) model.FormField {
		return model.FormField{Label: label, Type: typ, Options: opts}
	}
	for _, tc := range []struct {
		name   string
		title  string
		std    map[string]bool
		fields []model.FormField
		ok     bool
	}{
		{"standard fields only", "Press", map[string]bool{"name": true, "email": true}, nil, true},
		{"no title", " ", map[string]bool{"name": true}, nil, false},
		{"asks nothing", "Press", map[string]bool{}, nil, false},
		{"question without a label", "Press", map[string]bool{}, []model.FormField{field(" ", "short")}, false},
		{"dropdown without options", "Press", map[string]bool{}, []model.FormField{field("Outlet", "dropdown", " ", "")}, false},
		{"dropdown with options", "Press", map[string]bool{}, []model.FormField{field("Outlet", "dropdown", "Print", " ")}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &formDraft{title: tc.title, std: tc.std, fields: tc.fields}
			body, msg := d.body()
			if (msg == "") != tc.ok {
				t.Fatalf("ok = %v, want %v (%q)", msg == "", tc.ok, msg)
			}
			if tc.ok && len(tc.fields) > 0 {
				fs := body.Fields
				if hasChoices(fs[0].Type) && len(fs[0].Options) != 1 {
					t.Errorf("blank options kept: %q", fs[0].Options)
				}
			}
		})
	}
}
