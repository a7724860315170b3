package model

import "time"

// Group is a named set of users (Settings → Groups). Folder privileges
// given to a group hold for each of its members, beside their own.
type Group struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	UserIDs    []string  `json:"user_ids"`
	InsertedAt time.Time `json:"inserted_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// GroupPatch creates a group (Name required) or changes one: absent
// fields stay as they are; UserIDs replaces the members.
type GroupPatch struct {
	Name    *string   `json:"name,omitempty"`
	UserIDs *[]string `json:"user_ids,omitempty"`
}

// Kinds of holder of a folder permission.
const (
	HolderUser  = "user"
	HolderGroup = "group"
)

// FolderPermission is one user's or group's rights on a folder, recorded
// on that folder or inherited from the nearest folder above holding a
// record for them.
type FolderPermission struct {
	HolderType string `json:"holder_type"` // "user" or "group"
	HolderID   string `json:"holder_id"`
	Name       string `json:"name"`
	Email      string `json:"email,omitempty"`
	Access     string `json:"access"`
	Share      bool   `json:"share"`
	// Inherited is true when the record is on a folder above;
	// FromFolderID and FromPath name the folder it is on.
	Inherited    bool   `json:"inherited"`
	FromFolderID string `json:"from_folder_id"`
	FromPath     string `json:"from_path"`
}
