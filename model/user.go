package model

import "time"

// User is a person who can log in.
type User struct {
	ID          string     `json:"id"`
	Email       string     `json:"email"`
	Name        string     `json:"name"`
	Role        string     `json:"role"`
	Disabled    bool       `json:"disabled"`
	InsertedAt  time.Time  `json:"inserted_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	LastLoginAt *time.Time `json:"last_login_at,omitempty"`
}

// Token is a bearer token acting as its user within its scopes.
type Token struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes"`
	Prefix     string     `json:"prefix"`
	InsertedAt time.Time  `json:"inserted_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// Roles of a user.
const (
	RoleAdmin  = "admin"
	RoleMember = "member"
)

// IsAdmin reports whether u administers the site.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin }

// Me is GET /api/v2/me: the signed-in user and what the app needs to draw itself.
type Me struct {
	User
	Scopes    []string `json:"scopes,omitempty"`
	SiteName  string   `json:"site_name"`
	AccountID string   `json:"account_id"` // Frame.io v2: the one account
}
