package share

import (
	"cmp"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// Helpers on the JSON types.

func shareName(s *model.PublicShare) string {
	return cmp.Or(strings.TrimSpace(s.Name), cmp.Or(s.Title, "Shared files"))
}

// assetDetails are the viewer's property rows: type, size, dimensions, then what
// the camera recorded, then any other property the server sent.
func assetDetails(a model.PublicAsset) []app.UI {
	var rows []app.UI
	add := func(k, v string) { rows = append(rows, ui.MetaRow(k, v)...) }
	pr := propMap(a.Properties)
	str := func(k string) string { return galleryProp(pr[k]) }
	add("Type", cmp.Or(a.Filetype, linkui.FileExt(a.Name, "")))
	add("Size", ui.HumanBytes(a.Filesize))
	if a.Duration > 0 {
		add("Duration", ui.ClockTime(a.Duration))
	}
	if a.FPS > 0 {
		add("Frame rate", strconv.FormatFloat(a.FPS, 'f', -1, 64)+" fps")
	}
	w, h := a.Width, a.Height
	if w == 0 {
		w, _ = strconv.Atoi(str("width"))
		h, _ = strconv.Atoi(str("height"))
	}
	if w > 0 && h > 0 {
		add("Dimensions", strconv.Itoa(w)+" × "+strconv.Itoa(h)+" px")
	}
	if t, err := time.Parse(time.RFC3339, str("taken_at")); err == nil {
		add("Taken", t.Format("2 Jan 2006, 15:04"))
	} else {
		add("Taken", str("taken_at"))
	}
	maker, model := str("camera_make"), str("camera_model")
	if maker != "" && strings.HasPrefix(strings.ToLower(model), strings.ToLower(maker)) {
		maker = "" // "Canon" + "Canon EOS R5"
	}
	add("Camera", strings.TrimSpace(maker+" "+model))
	add("Lens", str("lens_model"))
	var exp []string
	if f := str("f_number"); f != "" {
		exp = append(exp, "f/"+strings.TrimPrefix(f, "f/"))
	}
	if t := str("exposure_time"); t != "" {
		exp = append(exp, strings.TrimSuffix(t, " s")+" s")
	}
	if iso := str("iso"); iso != "" && iso != "0" {
		exp = append(exp, "ISO "+iso)
	}
	if fl := str("focal_length"); fl != "" {
		exp = append(exp, fl)
	}
	for i := range exp {
		exp[i] = strings.ReplaceAll(exp[i], " ", "\u00a0") // "1/250 s" stays on one line
	}
	add("Exposure", strings.Join(exp, " · "))
	var codecs []string
	if v := str("video_codec"); v != "" {
		codecs = append(codecs, v)
	}
	if au := str("audio_codec"); au != "" {
		if ch := str("audio_channels"); ch != "" && ch != "0" {
			au += ", " + ch + " ch"
		}
		codecs = append(codecs, au)
	}
	add("Codecs", strings.Join(codecs, " · "))
	if br, err := strconv.ParseFloat(str("bit_rate"), 64); err == nil && br > 0 {
		add("Bit rate", strconv.FormatFloat(br/1e6, 'f', 1, 64)+" Mbit/s")
	}
	var other []string
	for k := range pr {
		if !galleryKnownProps[k] {
			other = append(other, k)
		}
	}
	sort.Strings(other)
	for _, k := range other {
		add(galleryPropLabel(k), str(k))
	}
	return rows
}

// propMap is p as its JSON object: the rows read each property by the
// name the API gives it.
func propMap(p *model.Properties) map[string]any {
	m := map[string]any{}
	if p != nil {
		b, _ := json.Marshal(p)
		_ = json.Unmarshal(b, &m)
	}
	return m
}

var galleryKnownProps = map[string]bool{
	"width": true, "height": true, "taken_at": true, "camera_make": true, "camera_model": true,
	"lens_model": true, "iso": true, "exposure_time": true, "f_number": true, "focal_length": true,
	"frame_rate": true, "video_codec": true, "audio_codec": true, "bit_rate": true, "audio_channels": true,
	"sample_rate": true, "rotation": true,
}

// galleryProp writes a property's JSON value; nested values are left out.
func galleryProp(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		if v {
			return "Yes"
		}
		return "No"
	}
	return ""
}

// galleryPropLabel turns "color_space" into "Color space".
func galleryPropLabel(k string) string {
	k = strings.ReplaceAll(k, "_", " ")
	if k == "" {
		return k
	}
	return strings.ToUpper(k[:1]) + k[1:]
}

// galleryGroups orders a share's files folder by folder, the link's top level
// first, keeping the server's order inside a folder.
func galleryGroups(items []model.PublicAsset) ([]model.PublicAsset, []shareGroup) {
	ordered := append([]model.PublicAsset(nil), items...)
	sort.SliceStable(ordered, func(i, j int) bool { return galleryPathLess(ordered[i].Path, ordered[j].Path) })
	var groups []shareGroup
	for i, it := range ordered {
		if len(groups) == 0 || groups[len(groups)-1].path != it.Path {
			groups = append(groups, shareGroup{path: it.Path})
		}
		g := &groups[len(groups)-1]
		g.items = append(g.items, i)
	}
	return ordered, groups
}

// galleryPathLess compares folder paths segment by segment, so a folder's
// subfolders follow it.
func galleryPathLess(a, b string) bool {
	if a == "" || b == "" {
		return a == "" && b != ""
	}
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if x, y := strings.ToLower(as[i]), strings.ToLower(bs[i]); x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

// galleryZipName is the suggested name of the Download all archive (the server's
// Content-Disposition wins where it names one).
func galleryZipName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '/' || r == '\\' || r == ':' || r == '"' || r < ' ':
			b.WriteRune('-')
		default:
			b.WriteRune(r)
		}
	}
	return cmp.Or(strings.TrimSpace(b.String()), "files") + ".zip"
}
