package ui

import (
	"html"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/model"
)

// HumanBytes is n bytes in binary units: "512 B", "1.5 MiB".
func HumanBytes(n int64) string { return model.HumanBytes(n) }

// Megabytes is a limit in MB (MiB, as the server counts it) the way the app
// shows sizes, without a trailing ".0".
func Megabytes(mb int64) string {
	return strings.Replace(HumanBytes(mb<<20), ".0 ", " ", 1)
}

// Initials are up to two capital letters of a name, or "?".
func Initials(name string) string {
	out := ""
	for _, p := range strings.Fields(name) {
		out += strings.ToUpper(string([]rune(p)[0]))
		if len(out) == 2 {
			break
		}
	}
	if out == "" {
		return "?"
	}
	return out
}

// Plural is n with the singular or plural noun: "1 file", "3 files".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// RoughDuration is d in the largest whole unit that fits: minutes, hours, days.
func RoughDuration(d time.Duration) string {
	switch {
	case d < time.Hour:
		return Plural(max(1, int(d.Minutes())), "minute", "minutes")
	case d < 24*time.Hour:
		return Plural(int(math.Round(d.Hours())), "hour", "hours")
	}
	return Plural(int(math.Round(d.Hours()/24)), "day", "days")
}

// RoughAgo is how long ago something happened d ago: "just now", "3 days ago".
func RoughAgo(d time.Duration) string {
	if d < time.Minute {
		return "just now"
	}
	return RoughDuration(d) + " ago"
}

// RelTime is t relative to now for lists: "5 min ago", "3 days ago", then
// the date.
func RelTime(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return app.FormatString("%d min ago", int(d.Minutes()))
	case d < 24*time.Hour:
		return app.FormatString("%d h ago", int(d.Hours()))
	case d < 14*24*time.Hour:
		return app.FormatString("%d days ago", int(d.Hours()/24))
	}
	return t.Local().Format("2 Jan 2006")
}

// ShortDate is t's day, with the year only when it is not this year.
func ShortDate(t time.Time) string {
	t = t.Local()
	if t.Year() == time.Now().Year() {
		return t.Format("2 Jan")
	}
	return t.Format("2 Jan 2006")
}

// LongDate is t's day and time with the weekday: "Mon 2 Jan 2006, 15:04".
func LongDate(t time.Time) string { return t.Local().Format("Mon 2 Jan 2006, 15:04") }

// Sentence is s trimmed, with a capital first letter and a full stop: an
// error's text as the page shows it.
func Sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// DayDate writes a date the same on the server and in every browser, so
// the prerendered page and the app agree.
func DayDate(t time.Time) string { return t.UTC().Format("2 Jan 2006") }

// AttrText makes a value safe for an attribute of a prerendered page:
// go-app v10.1.11 writes attribute values with strconv.Quote, where a `"`
// ends the attribute (a file name could add attributes of its own). The
// browser decodes the entities, so the page reads the same as the app's.
func AttrText(s string) string {
	if app.IsServer {
		return html.EscapeString(s)
	}
	return s
}

// CSSString escapes s for a double-quoted CSS string in a selector.
func CSSString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

// ClockTime prints seconds as 1:02:03 or 2:03.
func ClockTime(sec float64) string {
	s := int(sec + 0.5)
	if s >= 3600 {
		return app.FormatString("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return app.FormatString("%d:%02d", s/60, s%60)
}

// ValueOr is s, or def when s is empty.
func ValueOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ValueOrDash is s, or a dash when s is empty.
func ValueOrDash(s string) string { return ValueOr(s, "—") }
