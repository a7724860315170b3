package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"testing"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/client/nethttp"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// The client against a real server: a session login, typed documents both
// ways, the API's errors as *client.Error, a token's scopes, a cancelled context.
func TestClientAgainstAServer(t *testing.T) {
	s := testkit.Start(t)
	jar, _ := cookiejar.New(nil)
	c := client.New(&nethttp.Transport{Base: s.URL, Client: &http.Client{Jar: jar}}).With("Origin", s.URL)

	_, err := c.Me()
	if client.StatusOf(err) != 401 {
		t.Fatalf("me before login: %v", err)
	}
	_, err = c.Login(testkit.AdminEmail, "wrong password")
	if e, ok := err.(*client.Error); !ok || e.Status != 401 || e.Code == "" || e.Detail == "" {
		t.Fatalf("wrong password: %#v", err)
	}
	u, err := c.Login(testkit.AdminEmail, testkit.AdminPassword)
	if err != nil || u.Email != testkit.AdminEmail || !u.IsAdmin() {
		t.Fatalf("login: %+v %v", u, err)
	}
	pr, err := c.CreateProject("Harbour")
	if err != nil || pr.Name != "Harbour" || pr.RootAssetID == "" {
		t.Fatalf("project: %+v %v", pr, err)
	}
	dir, err := c.CreateFolder(pr.RootAssetID, "Selects")
	if err != nil || dir.Type != "folder" {
		t.Fatalf("folder: %+v %v", dir, err)
	}
	name := "Selects 2026"
	if _, err := c.UpdateAsset(dir.ID, model.AssetPatch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	kids, err := c.Children(pr.RootAssetID, nil)
	if err != nil || len(kids) != 1 || kids[0].Name != name {
		t.Fatalf("children: %+v %v", kids, err)
	}
	_, err = c.CreateFolder(pr.RootAssetID, "a/b")
	if e, ok := err.(*client.Error); !ok || e.Status != 400 || e.Detail == "" {
		t.Fatalf("a name with a slash: %#v", err)
	}
	_, err = c.Asset("0190f4a0-0000-7000-8000-000000000000")
	if e, ok := err.(*client.Error); !ok || e.Status != 404 || e.Code != "not_found" {
		t.Fatalf("unknown asset: %#v", err)
	}

	tok, err := c.CreateToken(model.NewToken{Name: "reader", Scopes: []string{"projects.read"}})
	if err != nil || tok.Secret == "" {
		t.Fatalf("token: %+v %v", tok, err)
	}
	reader := nethttp.New(s.URL).WithToken(tok.Secret)
	if ps, err := reader.Projects(nil); err != nil || len(ps) != 1 {
		t.Fatalf("projects with the token: %+v %v", ps, err)
	}
	if _, err := reader.CreateProject("Beyond the scopes"); client.StatusOf(err) != 403 {
		t.Fatalf("a projects.read token made a project: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.WithContext(ctx).Me(); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
}
