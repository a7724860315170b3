package client

import (
	"net/url"

	"github.com/ferryhq/ferry/model"
)

// Login signs in with a password; the session cookie goes to the
// transport's cookie jar (the browser's, or an http.Client's Jar).
func (c *Client) Login(email, password string) (model.User, error) {
	var u model.User
	return u, c.post(path("auth", "login"), model.LoginRequest{Email: email, Password: password}, &u)
}

// Logout ends the session.
func (c *Client) Logout() error { return c.post(path("auth", "logout"), nil, nil) }

// Me is the signed-in user.
func (c *Client) Me() (model.Me, error) {
	var m model.Me
	return m, c.get(path("me"), &m)
}

// SetupStatus says whether the first admin is still to be made.
func (c *Client) SetupStatus() (model.SetupStatus, error) {
	var s model.SetupStatus
	return s, c.get(path("setup"), &s)
}

// Setup makes the first admin with the one-time setup token.
func (c *Client) Setup(in model.SetupRequest) error { return c.post(path("setup"), in, nil) }

// Tokens lists the user's API tokens.
func (c *Client) Tokens() ([]model.Token, error) {
	var out []model.Token
	return out, c.get(path("tokens"), &out)
}

// CreateToken makes an API token; the answer holds its secret this once.
func (c *Client) CreateToken(in model.NewToken) (model.NewTokenAnswer, error) {
	var out model.NewTokenAnswer
	return out, c.post(path("tokens"), in, &out)
}

// DeleteToken revokes a token.
func (c *Client) DeleteToken(id string) error { return c.del(path("tokens", id)) }

// Users lists the users (admins).
func (c *Client) Users(q url.Values) ([]model.User, error) {
	var out []model.User
	return out, c.get(withQuery(path("users"), q), &out)
}

// CreateUser adds a user (admins).
func (c *Client) CreateUser(in model.NewUser) (model.User, error) {
	var out model.User
	return out, c.post(path("users"), in, &out)
}

// User is one user (admins).
func (c *Client) User(id string) (model.User, error) {
	var out model.User
	return out, c.get(path("users", id), &out)
}

// UpdateUser changes a user's name, role, password or disables them (admins).
func (c *Client) UpdateUser(id string, in model.UserPatch) (model.User, error) {
	var out model.User
	return out, c.put(path("users", id), in, &out)
}

// Privileges lists what a member may do in which folders (admins).
func (c *Client) Privileges(userID string) ([]model.Privilege, error) {
	var out []model.Privilege
	return out, c.get(path("users", userID, "privileges"), &out)
}

// SetPrivilege sets what a member may do in a folder and below it (admins):
// in's Access and Share.
func (c *Client) SetPrivilege(userID, folderID string, in model.Privilege) (model.Privilege, error) {
	var out model.Privilege
	return out, c.put(path("users", userID, "privileges", folderID), in, &out)
}

// DeletePrivilege takes a member's privilege on a folder away (admins).
func (c *Client) DeletePrivilege(userID, folderID string) error {
	return c.del(path("users", userID, "privileges", folderID))
}

// MyPrivilege is what the user may do with an asset.
func (c *Client) MyPrivilege(assetID string) (model.Privilege, error) {
	var out model.Privilege
	return out, c.get(path("assets", assetID, "privileges"), &out)
}
