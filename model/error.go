package model

// ErrorBody is the DESIGN.md error document.
type ErrorBody struct {
	Errors []ErrorItem `json:"errors"`
}

// ErrorItem is one error of an ErrorBody.
type ErrorItem struct {
	Status int    `json:"status"`
	Code   string `json:"code"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}
