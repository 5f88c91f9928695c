package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
)

// A flash is the one-time confirmation a change leaves for the page it
// leads to ("The account has been enabled."). It travels in a cookie that
// the redirect sets and the next page's response clears, so a reload or
// Back shows it no more, with or without JavaScript, and reading it writes
// nothing to the database (a GET never writes). Its value is the page's
// path and the confirmation's key and values, never words to show: the
// page chooses its own text from them. It is signed with the session's
// token, which only this browser and the request hold, so it is good only
// for the session that made the change and needs no key shared between app
// servers. A flash made without a session (the sign-in page's notice that
// a session timed out, when the session is already gone) is signed with no
// token, so anyone could make one: the sign-in page shows from it only a
// fixed notice that is safe for anyone to see, and a page of a session
// takes no such flash.
const flashCookie = "jtai_flash"

// flashAge is how long a flash waits for its page, in seconds: long enough
// for a redirect to be followed on a slow connection.
const flashAge = 60

// flashRedirect leads to the address to, leaving its page the one-time
// confirmation values (a "done" key, and what that page needs to word it).
func (s *Server) flashRedirect(c *Context, to string, values url.Values) error {
	path, _, _ := strings.Cut(to, "?")
	payload := base64.RawURLEncoding.EncodeToString([]byte(path + "?" + values.Encode()))
	http.SetCookie(c.W, &http.Cookie{Name: flashCookie, Value: payload + "." + flashSignature(c.token, payload),
		Path: "/", MaxAge: flashAge, HttpOnly: true, Secure: s.secure(c.R), SameSite: http.SameSiteLaxMode})
	return redirect(c, to)
}

// doneRedirect leads to path with the confirmation key of done to show
// there.
func (s *Server) doneRedirect(c *Context, path, key string) error {
	return s.flashRedirect(c, path, url.Values{"done": {key}})
}

// flash is the confirmation this request's page is to show, read once from
// its cookie: empty unless it was signed for this session (or, for a
// request without one, for no session) and left for this very page.
func (c *Context) flash() url.Values {
	ck, err := c.R.Cookie(flashCookie)
	if err != nil {
		return url.Values{}
	}
	payload, sig, ok := strings.Cut(ck.Value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(flashSignature(c.token, payload))) {
		return url.Values{}
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return url.Values{}
	}
	path, query, _ := strings.Cut(string(raw), "?")
	if path != c.R.URL.Path {
		return url.Values{}
	}
	values, err := url.ParseQuery(query)
	if err != nil {
		return url.Values{}
	}
	return values
}

// clearFlash ends a flash once a page has been rendered: shown there or
// not, it is not shown again.
func (s *Server) clearFlash(c *Context) {
	if _, err := c.R.Cookie(flashCookie); err == nil {
		http.SetCookie(c.W, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
			Secure: s.secure(c.R), SameSite: http.SameSiteLaxMode})
	}
}

// flashSignature signs a flash's payload with the session's token.
func flashSignature(token, payload string) string {
	m := hmac.New(sha256.New, []byte("jtai flash\x00"+token))
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
