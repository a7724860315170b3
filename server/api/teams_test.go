package api

import "testing"

func TestAccountOfIsStableAndKeyed(t *testing.T) {
	a, b := AccountOf([]byte("key one")), AccountOf([]byte("key one"))
	c := AccountOf([]byte("key two"))
	if a != b {
		t.Errorf("the same key gave %v and %v", a, b)
	}
	if a.ID == c.ID || a.TeamID == c.TeamID || a.ID == a.TeamID {
		t.Errorf("ids collide: %v %v", a, c)
	}
}
