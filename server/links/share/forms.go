package share

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/store"
)

// Field types of a custom form.
const (
	FieldShort     = "short"
	FieldParagraph = "paragraph"
	FieldChoice    = "choice"
	FieldDropdown  = "dropdown"
)

// StandardFields are the registration fields every form may keep.
var StandardFields = []string{"name", "company", "email"}

// Field is model.FormField, the JSON document.
type Field = model.FormField

// Form is model.ShareForm, the JSON document.
type Form = model.ShareForm

// Clickwrap is model.Clickwrap, the JSON document.
type Clickwrap = model.Clickwrap

// FormInput is model.ShareFormInput, the JSON document.
type FormInput = model.ShareFormInput

func cleanForm(in FormInput) (Form, error) {
	var f Form
	var err error
	if f.Title, err = assets.CleanText("title", in.Title, 200, true); err != nil {
		return f, err
	}
	if f.Title == "" {
		return f, errs.Invalidf("a form needs a title")
	}
	f.StandardFields = []string{}
	if in.StandardFields == nil {
		f.StandardFields = append(f.StandardFields, StandardFields...)
	} else {
		want := map[string]bool{}
		for _, x := range *in.StandardFields {
			if !contains(StandardFields, x) {
				return f, errs.Invalidf("standard_fields: %q is not one of name, company, email", x)
			}
			want[x] = true
		}
		for _, x := range StandardFields {
			if want[x] {
				f.StandardFields = append(f.StandardFields, x)
			}
		}
	}
	if len(in.Fields) > 50 {
		return f, errs.Invalidf("a form has at most 50 fields")
	}
	f.Fields = []Field{}
	seen := map[string]bool{}
	for i, x := range in.Fields {
		n := i + 1
		if x.Label, err = assets.CleanText("label", x.Label, 200, true); err != nil {
			return f, errs.Invalidf("field %d: %s", n, detail(err))
		}
		if x.Label == "" {
			return f, errs.Invalidf("field %d needs a label", n)
		}
		if x.Description, err = assets.CleanText("description", x.Description, 1000, false); err != nil {
			return f, errs.Invalidf("field %d: %s", n, detail(err))
		}
		switch x.Type {
		case FieldShort, FieldParagraph:
			x.Options = []string{}
		case FieldChoice, FieldDropdown:
			if len(x.Options) < 1 || len(x.Options) > 50 {
				return f, errs.Invalidf("field %d (%s) needs 1 to 50 options", n, x.Label)
			}
			opts := []string{}
			dup := map[string]bool{}
			for _, o := range x.Options {
				o, err := assets.CleanText("option", o, 200, true)
				if err != nil || o == "" {
					return f, errs.Invalidf("field %d (%s): options must be non-empty text on one line", n, x.Label)
				}
				if dup[o] {
					return f, errs.Invalidf("field %d (%s): the option %q appears twice", n, x.Label, o)
				}
				dup[o] = true
				opts = append(opts, o)
			}
			x.Options = opts
		default:
			return f, errs.Invalidf("field %d (%s): type must be short, paragraph, choice or dropdown", n, x.Label)
		}
		if x.ID == "" {
			x.ID = uuid.NewString()[:8]
		}
		if contains(StandardFields, x.ID) || seen[x.ID] || len(x.ID) > 40 || strings.ContainsAny(x.ID, " \t\r\n") {
			return f, errs.Invalidf("field %d (%s): id %q is taken or malformed", n, x.Label, x.ID)
		}
		seen[x.ID] = true
		f.Fields = append(f.Fields, x)
	}
	if len(f.StandardFields) == 0 && len(f.Fields) == 0 {
		return f, errs.Invalidf("a form needs at least one field")
	}
	return f, nil
}

func contains(list []string, x string) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

func getForm(tx *store.Tx, id string) (Form, error) {
	return links.GetByID[Form](tx, store.PrefixShareForm, id, "form")
}

func getClickwrap(tx *store.Tx, id string) (Clickwrap, error) {
	return links.GetByID[Clickwrap](tx, store.PrefixClickwrap, id, "clickwrap")
}

// Forms lists the custom forms by title.
func (s *Service) Forms() ([]Form, error) {
	out := []Form{}
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixShareForm, func(_ string, b []byte) error {
			var f Form
			if err := json.Unmarshal(b, &f); err != nil {
				return err
			}
			out = append(out, f)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Title) < strings.ToLower(out[j].Title) })
	return out, err
}

// Form returns form id.
func (s *Service) Form(id string) (Form, error) {
	var f Form
	err := s.Store.View(func(tx *store.Tx) (err error) { f, err = getForm(tx, id); return err })
	return f, err
}

// SaveForm creates a form (id "") or replaces form id.
func (s *Service) SaveForm(id string, in FormInput) (Form, error) {
	f, err := cleanForm(in)
	if err != nil {
		return f, err
	}
	now := s.now()
	err = s.Store.Update(func(tx *store.Tx) error {
		if id == "" {
			f.ID, f.InsertedAt = uuid.NewString(), now
		} else {
			old, err := getForm(tx, id)
			if err != nil {
				return err
			}
			f.ID, f.InsertedAt = old.ID, old.InsertedAt
		}
		f.UpdatedAt = now
		return tx.Put(store.PrefixShareForm+f.ID, f)
	})
	return f, err
}

// DeleteForm removes form id unless a link uses it.
func (s *Service) DeleteForm(id string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		if _, err := getForm(tx, id); err != nil {
			return err
		}
		n, err := linksUsing(tx, func(l Link) bool { return l.FormID == id })
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.New(errs.Conflict, "form_in_use", "%d share links use this form; choose another form on them first", n)
		}
		return tx.Delete(store.PrefixShareForm + id)
	})
}

func linksUsing(tx *store.Tx, match func(Link) bool) (int, error) {
	n := 0
	err := tx.Scan(store.PrefixShareLink, func(_ string, b []byte) error {
		var l Link
		if err := json.Unmarshal(b, &l); err != nil {
			return err
		}
		if match(l) {
			n++
		}
		return nil
	})
	return n, err
}

// ClickwrapInput is model.ClickwrapInput, the JSON document.
type ClickwrapInput = model.ClickwrapInput

// Clickwraps lists the clickwraps by name.
func (s *Service) Clickwraps() ([]Clickwrap, error) {
	out := []Clickwrap{}
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixClickwrap, func(_ string, b []byte) error {
			var c Clickwrap
			if err := json.Unmarshal(b, &c); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, err
}

// Clickwrap returns clickwrap id.
func (s *Service) Clickwrap(id string) (Clickwrap, error) {
	var c Clickwrap
	err := s.Store.View(func(tx *store.Tx) (err error) { c, err = getClickwrap(tx, id); return err })
	return c, err
}

// SaveClickwrap creates a clickwrap (id "") or replaces clickwrap id.
func (s *Service) SaveClickwrap(id string, in ClickwrapInput) (Clickwrap, error) {
	var c Clickwrap
	var err error
	if c.Name, err = assets.CleanText("name", in.Name, 200, true); err != nil {
		return c, err
	}
	if c.Body, err = assets.CleanText("body", in.Body, 20000, false); err != nil {
		return c, err
	}
	if c.Name == "" || c.Body == "" {
		return c, errs.Invalidf("a clickwrap needs a name and the terms (body)")
	}
	now := s.now()
	err = s.Store.Update(func(tx *store.Tx) error {
		if id == "" {
			c.ID, c.InsertedAt = uuid.NewString(), now
		} else {
			old, err := getClickwrap(tx, id)
			if err != nil {
				return err
			}
			c.ID, c.InsertedAt = old.ID, old.InsertedAt
		}
		c.UpdatedAt = now
		return tx.Put(store.PrefixClickwrap+c.ID, c)
	})
	return c, err
}

// DeleteClickwrap removes clickwrap id unless a link uses it.
func (s *Service) DeleteClickwrap(id string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		if _, err := getClickwrap(tx, id); err != nil {
			return err
		}
		n, err := linksUsing(tx, func(l Link) bool { return l.ClickwrapID == id })
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.New(errs.Conflict, "clickwrap_in_use", "%d share links use this clickwrap; choose another on them first", n)
		}
		return tx.Delete(store.PrefixClickwrap + id)
	})
}

// checkGate checks that the form and clickwrap a link names exist.
func (s *Service) checkGate(tx *store.Tx, l Link) error {
	if l.FormID != "" {
		if _, err := getForm(tx, l.FormID); err != nil {
			return errs.Invalidf("form_id: %s", detail(err))
		}
	}
	if l.ClickwrapID != "" {
		if _, err := getClickwrap(tx, l.ClickwrapID); err != nil {
			return errs.Invalidf("clickwrap_id: %s", detail(err))
		}
	}
	return nil
}
