// Package model holds the JSON documents of Ferry's API (/api/v2): what the
// server answers and the request bodies it takes, declared once. The server
// returns these types (its stored records, with hashes and secrets, stay in
// their packages), the web app decodes them and package client sends them.
// It imports only the standard library: it is compiled into the wasm.
package model
