package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// AccessLevels are the folder privileges, weakest first.
var AccessLevels = []struct{ Key, Label string }{
	{"preview", "Previews only"}, {"download", "Download"}, {"upload", "Upload"}, {"full", "Full"},
}

// AccessRank is the place of a privilege in AccessLevels; an unknown one
// ranks as the strongest.
func AccessRank(access string) int {
	for i, a := range AccessLevels {
		if a.Key == access {
			return i
		}
	}
	return len(AccessLevels) - 1
}

// AccessLabel names a folder privilege.
func AccessLabel(access string) string { return AccessLevels[AccessRank(access)].Label }

// AccessOptions are the options of a privilege picker.
func AccessOptions(selected string) []app.UI {
	out := make([]app.UI, len(AccessLevels))
	for i, a := range AccessLevels {
		out[i] = app.Option().Value(a.Key).Selected(selected == a.Key).Text(a.Label)
	}
	return out
}

// FolderLabel shows a folder path, naming the project's top.
func FolderLabel(path string) string {
	if path == "" || path == "/" {
		return "/ (project top)"
	}
	return path
}
