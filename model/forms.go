package model

import "time"

// FormField is one question of a registration form.
type FormField struct {
	ID          string   `json:"id"`
	Label       string   `json:"label"`
	Description string   `json:"description"`
	Type        string   `json:"type"`
	Options     []string `json:"options"`
	Required    bool     `json:"required"`
}

// ShareForm is a custom registration form admins build (Sharing > Custom forms).
type ShareForm struct {
	ID             string      `json:"id"`
	Title          string      `json:"title"`
	StandardFields []string    `json:"standard_fields"`
	Fields         []FormField `json:"fields"`
	InsertedAt     time.Time   `json:"inserted_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
}

// ShareFormInput is what creating or replacing a form sends.
type ShareFormInput struct {
	Title          string      `json:"title"`
	StandardFields *[]string   `json:"standard_fields"` // nil: all three
	Fields         []FormField `json:"fields"`
}

// Clickwrap is terms a visitor must accept before a link opens.
type Clickwrap struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Body       string    `json:"body"`
	InsertedAt time.Time `json:"inserted_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// ClickwrapInput is what creating or replacing a clickwrap sends.
type ClickwrapInput struct {
	Name string `json:"name"`
	Body string `json:"body"`
}

// Registration is what a visitor gave before a link opened.
type Registration struct {
	ID                string               `json:"id"`
	LinkID            string               `json:"link_id"`
	Name              string               `json:"name"`
	Company           string               `json:"company"`
	Email             string               `json:"email"`
	Answers           []RegistrationAnswer `json:"answers"`
	ClickwrapAccepted bool                 `json:"clickwrap_accepted"`
	Address           string               `json:"address"`
	UserAgent         string               `json:"user_agent"`
	InsertedAt        time.Time            `json:"inserted_at"`
}

// RegistrationAnswer is one answer to a custom form field.
type RegistrationAnswer struct {
	FieldID string `json:"field_id"`
	Label   string `json:"label"`
	Value   string `json:"value"`
}
