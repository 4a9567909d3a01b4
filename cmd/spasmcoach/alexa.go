package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/alexaapi"
	"spasmcoach/utterance"
)

// This file connects chat to Alexa as package alexatest plays it: a
// simulated Alexa (alexatest.Session) that builds the requests, and a
// stand-in for the Alexa APIs (alexatest.Server) on a loopback port, so
// that chat can set a pack timer with no Alexa device. Nothing rings: a
// timer only exists until chat exits.

// builtinTypePrefix starts the names of Amazon's built-in slot types, which
// have no entity resolution.
const builtinTypePrefix = "AMAZON."

// newAlexaAPI starts the stand-in Alexa APIs: they accept token, answer
// time-zone questions with timeZone, and grant the reminders scope, and
// the timers scope unless noTimers; a scope not granted makes its calls
// fail with 401, as Alexa does, so that the permission path can be tried.
func newAlexaAPI(token, timeZone string, noTimers bool) *alexatest.Server {
	api := alexatest.NewServer(nil)
	api.Token = token
	api.SetZone(timeZone)
	api.Grant(alexaapi.ScopeTimers, !noTimers)
	api.Grant(alexaapi.ScopeReminders, true)
	return api
}

// newAlexaSession returns the simulated Alexa of one chat user on the
// local device, whose requests name api and show the scopes it grants.
func newAlexaSession(appID, user, locale string, api *alexatest.Server, noTimers bool) *alexatest.Session {
	s := alexatest.NewSession(user)
	s.SkillID, s.DeviceID, s.Locale = appID, localDeviceID, locale
	s.APIEndpoint, s.APIToken = api.URL, api.Token
	timers := alexa.ScopeGranted
	if noTimers {
		timers = "DENIED"
	}
	s.Scopes = map[string]string{alexaapi.ScopeTimers: timers, alexaapi.ScopeReminders: alexa.ScopeGranted}
	s.FollowGrants = true
	s.Tag = randomUUID() + "-"
	return s
}

// intentSlots returns the slots of a resolved utterance as Alexa sends
// them, with entity resolution for a filled slot of a custom type.
func intentSlots(m utterance.Match) []alexa.Slot {
	var slots []alexa.Slot
	for name, v := range m.Slots {
		switch {
		case v.Value == "":
			slots = append(slots, alexatest.Slot(name, ""))
		case v.Type == "" || strings.HasPrefix(v.Type, builtinTypePrefix):
			s := alexatest.Slot(name, v.Value)
			s.Source = "USER"
			slots = append(slots, s)
		case v.ID == "":
			slots = append(slots, alexatest.Resolved(name, v.Value, "", ""))
		default:
			slots = append(slots, alexatest.Resolved(name, v.Value, v.Resolved, v.ID))
		}
	}
	return slots
}

// indentJSON re-indents raw JSON for display, or returns it as is when it
// is not JSON.
func indentJSON(raw []byte) []byte {
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return raw
	}
	return b.Bytes()
}

// randomUUID returns a random version-4 UUID.
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// localTimeZone returns the IANA name of the local time zone, for the
// stand-in's Settings API: $TZ when it names a zone, else the target of
// /etc/localtime, else "UTC".
func localTimeZone(getenv func(string) string) string {
	if tz := strings.TrimPrefix(getenv("TZ"), ":"); tz != "" {
		if _, err := time.LoadLocation(tz); err == nil && tz != "Local" {
			return tz
		}
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if _, name, ok := strings.Cut(filepath.ToSlash(target), "zoneinfo/"); ok {
			if _, err := time.LoadLocation(name); err == nil {
				return name
			}
		}
	}
	return "UTC"
}
