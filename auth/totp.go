package auth

import (
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Issuer names jtai in authenticator apps.
const Issuer = "jtai"

const totpPeriod = 30

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPKey makes a new second-factor secret for an account, returning the
// secret and the otpauth:// URL an authenticator app reads.
func NewTOTPKey(email string) (secret, url string, err error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: email, Period: totpPeriod})
	if err != nil {
		return "", "", err
	}
	return k.Secret(), k.URL(), nil
}

// TOTPCode returns the code for secret at t; the demo shows it and tests use it.
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts)
}

// UnusedCode is a code for secret that CheckTOTP accepts at now: the
// current one, or, when that step was used already (lastStep), the next,
// which it accepts as a step of drift; none when that was used too (three
// sign-ins in one half minute). Only the demo shows codes.
func UnusedCode(secret string, now time.Time, lastStep int64) (string, error) {
	current := now.Unix() / totpPeriod
	step := max(current, lastStep+1)
	if step > current+1 {
		return "", errors.New("every code of this half minute is used: wait a few seconds")
	}
	return TOTPCode(secret, time.Unix(step*totpPeriod, 0))
}

// CheckTOTP reports whether code is valid for secret at now, allowing one
// step of clock drift either way, and returns the time step it belongs to.
// A step at or before lastStep is refused: each code works once.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 {
		return 0, false
	}
	step := now.Unix() / totpPeriod
	for _, s := range []int64{step, step - 1, step + 1} {
		if s <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}
