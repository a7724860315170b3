package share

import (
	"encoding/json"
	"net/mail"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// Registration is model.Registration, the JSON document.
type Registration = model.Registration

// Answer is model.RegistrationAnswer, the JSON document.
type Answer = model.RegistrationAnswer

// standardField is how the standard registration fields ask.
var standardField = map[string]Field{
	"name":    {ID: "name", Label: "Name", Type: FieldShort, Options: []string{}, Required: true},
	"company": {ID: "company", Label: "Company", Type: FieldShort, Options: []string{}},
	"email":   {ID: "email", Label: "Email", Type: FieldShort, Options: []string{}, Required: true},
}

// registrationForm is the form visitors of l fill in: the standard
// fields, or its custom form's.
func registrationForm(tx *store.Tx, l Link) ([]Field, error) {
	std := StandardFields
	var custom []Field
	if l.FormID != "" {
		f, err := getForm(tx, l.FormID)
		if err != nil {
			return nil, err
		}
		std, custom = f.StandardFields, f.Fields
	}
	out := []Field{}
	for _, id := range std {
		out = append(out, standardField[id])
	}
	return append(out, custom...), nil
}

// RegisterRequest is model.RegisterRequest, the JSON document.
type RegisterRequest = model.RegisterRequest

// checkAnswers validates a registration against fields.
func checkAnswers(fields []Field, in map[string]string) (Registration, error) {
	var r Registration
	known := map[string]bool{}
	for _, f := range fields {
		known[f.ID] = true
		v, err := assets.CleanText(f.Label, in[f.ID], 5000, f.Type != FieldParagraph)
		if err != nil {
			return r, errs.New(errs.Invalid, "invalid_answer", "%s: %s", f.Label, detail(err))
		}
		if v == "" {
			if f.Required {
				return r, errs.New(errs.Invalid, "missing_field", "%s is required", f.Label)
			}
		} else {
			switch f.Type {
			case FieldChoice, FieldDropdown:
				if !contains(f.Options, v) {
					return r, errs.New(errs.Invalid, "invalid_choice", "%s: %q is not one of the choices", f.Label, v)
				}
			}
		}
		switch f.ID {
		case "name":
			if len([]rune(v)) > 200 {
				return r, errs.New(errs.Invalid, "invalid_answer", "Name is longer than 200 characters")
			}
			r.Name = v
		case "company":
			r.Company = v
		case "email":
			if v != "" {
				a, err := mail.ParseAddress(v)
				if err != nil || a.Address != v || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") || len(v) > 254 {
					return r, errs.New(errs.Invalid, "invalid_email", "Email: %q is not a valid email address", v)
				}
			}
			r.Email = v
		default:
			r.Answers = append(r.Answers, Answer{FieldID: f.ID, Label: f.Label, Value: v})
		}
	}
	for id := range in {
		if !known[id] {
			return r, errs.New(errs.Invalid, "unknown_field", "the form has no field %q", id)
		}
	}
	if r.Answers == nil {
		r.Answers = []Answer{}
	}
	return r, nil
}

// Register takes a visitor's registration and clickwrap acceptance for the
// link with key, after its password and invitation. The visitor's session
// (started here when they have none: a use) then passes the gate.
func (s *Service) Register(key string, in RegisterRequest, vis Visitor) (Public, string, error) {
	var l Link
	var secret string
	var needs []string
	var reg Registration
	err := s.Store.Update(func(tx *store.Tx) error {
		var err error
		secret = ""
		if l, err = byKey(tx, key); err != nil {
			return err
		}
		now := s.now()
		se, ok := s.getSession(tx, l, vis.Session)
		if err := l.openTo(now, se, ok); err != nil {
			return err
		}
		before := l.needs(se, ok)
		if len(before) > 0 && (before[0] == NeedPassword || before[0] == NeedInvite) {
			return needError(before[0])
		}
		if !l.RequireRegistration && l.ClickwrapID == "" {
			return errs.Invalidf("this link asks for no registration")
		}
		if l.RequireRegistration {
			fields, err := registrationForm(tx, l)
			if err != nil {
				return err
			}
			if reg, err = checkAnswers(fields, in.Answers); err != nil {
				return err
			}
		} else if len(in.Answers) > 0 {
			return errs.New(errs.Invalid, "unknown_field", "this link asks for no registration, only to accept its terms")
		}
		if l.ClickwrapID != "" && !in.AcceptClickwrap {
			return errs.New(errs.Invalid, "clickwrap_required", "accept the terms to open this link")
		}
		if !ok {
			if secret, err = s.startVisit(tx, &l, now, l.PasswordHash == ""); err != nil {
				return err
			}
			se = Session{LinkID: l.ID, Share: true, Unlocked: l.PasswordHash == "", CreatedAt: now}
		} else {
			secret = vis.Session
		}
		se.Registered = se.Registered || l.RequireRegistration
		se.Accepted = se.Accepted || l.ClickwrapID != ""
		if reg.Name != "" || reg.Email != "" {
			se.Who = strings.TrimSpace(reg.Name + " <" + reg.Email + ">")
		}
		if err := s.putSession(tx, l, secret, se); err != nil {
			return err
		}
		if ok {
			secret = "" // the cookie stays
		}
		needs = l.needs(se, true)
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		reg.ID, reg.LinkID, reg.InsertedAt, reg.ClickwrapAccepted = id.String(), l.ID, now, l.ClickwrapID != ""
		reg.Address, reg.UserAgent = vis.Addr, vis.UserAgent
		if len(reg.UserAgent) > 400 {
			reg.UserAgent = reg.UserAgent[:400]
		}
		return tx.Put(store.PrefixShareReg+l.ID+"/"+reg.ID, reg)
	})
	if err != nil {
		return Public{}, "", err
	}
	s.logAccess(l, vis, Entry{Action: "register", AssetName: strings.TrimSpace(reg.Name + " " + reg.Email)})
	out, err := s.public(l, needs)
	if err == nil && len(needs) == 0 {
		s.logAccess(l, vis, Entry{Action: "view"})
	}
	return out, secret, err
}

// Registrations lists the registrations of link id, newest first, and the
// labels of the custom fields that appear in them (for CSV columns).
func (s *Service) Registrations(v assets.Viewer, id string) ([]Registration, []string, error) {
	out := []Registration{}
	var labels []string
	err := s.Store.View(func(tx *store.Tx) error {
		l, err := s.managed(tx, v, id)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		if l.FormID != "" {
			if f, err := getForm(tx, l.FormID); err == nil {
				for _, x := range f.Fields {
					if !seen[x.Label] {
						seen[x.Label] = true
						labels = append(labels, x.Label)
					}
				}
			}
		}
		return tx.Scan(store.PrefixShareReg+id+"/", func(_ string, b []byte) error {
			var r Registration
			if err := json.Unmarshal(b, &r); err != nil {
				return err
			}
			for _, a := range r.Answers {
				if !seen[a.Label] {
					seen[a.Label] = true
					labels = append(labels, a.Label)
				}
			}
			out = append(out, r)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].InsertedAt.After(out[j].InsertedAt) })
	return out, labels, err
}
