package api

import (
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/secure"
)

func (s *Server) limit() int64 { return s.Config.Limits.MaxJSONBytes }

func (s *Server) login(c *fiber.Ctx, _ *Principal) error {
	var req model.LoginRequest
	if err := decode(c, s.limit(), &req); err != nil {
		return err
	}
	if req.Email == "" || req.Password == "" {
		return errs.Invalidf("email and password are required")
	}
	u, secret, err := s.Auth.Login(req.Email, req.Password, c.IP())
	if err != nil {
		return err
	}
	s.setSessionCookie(c, secret, time.Now().Add(s.Auth.SessionTTL))
	return c.JSON(u)
}

func (s *Server) logout(c *fiber.Ctx, _ *Principal) error {
	if v := c.Cookies(SessionCookie); v != "" {
		if err := s.Auth.DeleteSession(v); err != nil {
			return err
		}
	}
	s.setSessionCookie(c, "", time.Unix(0, 0))
	return c.SendStatus(fiber.StatusNoContent)
}

// meResponse is the current user plus what the app needs to draw itself.
type meResponse = model.Me

func (s *Server) me(c *fiber.Ctx, p *Principal) error {
	r := meResponse{User: p.User, SiteName: s.Config.SiteName, AccountID: s.Account.ID}
	if p.Token != nil {
		r.Scopes = p.Token.Scopes
	}
	return c.JSON(r)
}

func (s *Server) listScopes(c *fiber.Ctx, _ *Principal) error {
	return c.JSON(fiber.Map{"resources": auth.Resources, "actions": auth.Actions, "scopes": auth.AllScopes()})
}

func (s *Server) listTokens(c *fiber.Ctx, p *Principal) error {
	ts, err := s.Auth.ListTokens(p.User.ID)
	if err != nil {
		return err
	}
	page, err := paginate(c, ts)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

func (s *Server) createToken(c *fiber.Ctx, p *Principal) error {
	var req model.NewToken
	if err := decode(c, s.limit(), &req); err != nil {
		return err
	}
	// A token may mint tokens only within its own scopes.
	for _, sc := range req.Scopes {
		if !p.Can(sc) {
			return errs.New(errs.Forbidden, "insufficient_scope", "this token cannot grant %s, which it lacks", sc)
		}
	}
	t, secret, err := s.Auth.CreateToken(p.User.ID, req.Name, req.Scopes)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(model.NewTokenAnswer{Token: t, Secret: secret})
}

func (s *Server) deleteToken(c *fiber.Ctx, p *Principal) error {
	if p.Token != nil && p.Token.ID != c.Params("id") {
		// A token may revoke itself, or a token no more powerful than itself.
		ts, err := s.Auth.ListTokens(p.User.ID)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if t.ID != c.Params("id") {
				continue
			}
			for _, sc := range t.Scopes {
				if !p.Can(sc) {
					return errs.New(errs.Forbidden, "insufficient_scope", "this token cannot revoke a token with %s, which it lacks", sc)
				}
			}
		}
	}
	if err := s.Auth.DeleteToken(p.User.ID, c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) listUsers(c *fiber.Ctx, _ *Principal) error {
	us, err := s.Auth.ListUsers()
	if err != nil {
		return err
	}
	page, err := paginate(c, us)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

func (s *Server) createUser(c *fiber.Ctx, _ *Principal) error {
	var req auth.NewUser
	if err := decode(c, s.limit(), &req); err != nil {
		return err
	}
	u, err := s.Auth.CreateUser(req)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

func (s *Server) getUser(c *fiber.Ctx, _ *Principal) error {
	u, err := s.Auth.GetUser(c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (s *Server) updateUser(c *fiber.Ctx, _ *Principal) error {
	var req auth.UserPatch
	if err := decode(c, s.limit(), &req); err != nil {
		return err
	}
	u, err := s.Auth.UpdateUser(c.Params("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

// SetupToken is the one-time secret that lets the first person create the
// first admin when Ferry starts with no users and no FERRY_ADMIN_* env.
type SetupToken struct {
	mu     sync.Mutex
	secret string
}

// NewSetupToken makes a fresh one-time setup secret.
func NewSetupToken() *SetupToken { return &SetupToken{secret: secure.Token()} }

// Secret returns the secret while setup is pending.
func (t *SetupToken) Secret() string {
	if t == nil {
		return ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.secret
}

func (t *SetupToken) consume(secret string) bool {
	if t == nil {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.secret == "" || !secure.Equal(t.secret, secret) {
		return false
	}
	t.secret = ""
	return true
}

func (s *Server) setupStatus(c *fiber.Ctx, _ *Principal) error {
	n, err := s.Auth.CountUsers()
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"needed": n == 0 && s.Setup.Secret() != ""})
}

func (s *Server) setupAdmin(c *fiber.Ctx, _ *Principal) error {
	var req model.SetupRequest
	if err := decode(c, s.limit(), &req); err != nil {
		return err
	}
	n, err := s.Auth.CountUsers()
	if err != nil {
		return err
	}
	if n > 0 {
		return errs.New(errs.Gone, "setup_done", "Ferry is already set up; log in instead")
	}
	if err := auth.ValidatePassword(req.Password); err != nil {
		return err
	}
	if !s.Setup.consume(req.Token) {
		return errs.New(errs.Forbidden, "bad_setup_token", "this setup link is wrong or was already used; see the server log")
	}
	u, err := s.Auth.CreateUser(auth.NewUser{Email: req.Email, Name: req.Name, Role: auth.RoleAdmin, Password: req.Password})
	if err != nil {
		s.Setup.mu.Lock()
		s.Setup.secret = req.Token // let the person correct the form and retry
		s.Setup.mu.Unlock()
		return err
	}
	secret, err := s.Auth.CreateSession(u.ID)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, secret, time.Now().Add(s.Auth.SessionTTL))
	return c.Status(fiber.StatusCreated).JSON(u)
}
