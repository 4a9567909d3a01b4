package skill

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// MaxZones is how many devices' time zones a State keeps; reading the zone
// of another device replaces the one read longest ago.
const MaxZones = 4

// ZoneMaxAge is how long a time zone read from the Alexa Settings API is
// trusted before it is read again.
const ZoneMaxAge = 7 * 24 * time.Hour

// DeviceZone is the time zone of one of the user's devices.
type DeviceZone struct {
	// Device is a one-way hash of the device's ID, never the ID itself.
	Device string `json:"d,omitempty"`
	// Name is the IANA time zone name, such as "Europe/Berlin".
	Name string `json:"z,omitempty"`
	// Read is when the zone was read from the Settings API.
	Read Stamp `json:"r,omitempty"`
}

// Fresh reports whether the zone was read less than ZoneMaxAge before now.
func (d DeviceZone) Fresh(now time.Time) bool {
	return d.Name != "" && !d.Read.IsZero() && now.Sub(d.Read.Time()) < ZoneMaxAge
}

// Zones holds the time zones of up to MaxZones devices, at most one entry
// per device, in no particular order; empty entries are unused. It is a
// comparable value, like State, and encodes as a JSON array of the entries
// in use; it decodes from a JSON array of at most MaxZones entries (any
// more are dropped).
type Zones [MaxZones]DeviceZone

// Lookup returns the entry of device, if there is one.
func (z Zones) Lookup(device string) (DeviceZone, bool) {
	if device == "" {
		return DeviceZone{}, false
	}
	for _, e := range z {
		if e.Device == device {
			return e, true
		}
	}
	return DeviceZone{}, false
}

// With returns z with e as its device's entry: in place of the device's
// old entry, else in an unused entry, else in place of the entry read
// longest ago. An entry without a device leaves z unchanged.
func (z Zones) With(e DeviceZone) Zones {
	if e.Device == "" {
		return z
	}
	slot := -1
	for i, old := range z {
		switch {
		case old.Device == e.Device:
			z[i] = e
			return z
		case old.Device == "":
			if slot < 0 || z[slot].Device != "" {
				slot = i
			}
		case slot < 0 || z[slot].Device != "" && old.Read < z[slot].Read:
			slot = i
		}
	}
	z[slot] = e
	return z
}

// MarshalJSON encodes the entries in use as a JSON array, as
// encoding/json would encode a slice of them.
func (z Zones) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 64*MaxZones)
	b = append(b, '[')
	for _, e := range z {
		if e == (DeviceZone{}) {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, '{')
		n := len(b)
		field := func(key string) {
			if len(b) > n {
				b = append(b, ',')
			}
			b = append(b, key...)
		}
		if e.Device != "" {
			field(`"d":`)
			b = appendJSONString(b, e.Device)
		}
		if e.Name != "" {
			field(`"z":`)
			b = appendJSONString(b, e.Name)
		}
		if e.Read != 0 {
			field(`"r":`)
			b = strconv.AppendInt(b, int64(e.Read), 10)
		}
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// appendJSONString appends s as a JSON string. Device hashes and zone
// names are plain ASCII; anything else goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// tidy returns z with each device's entry read last in the place of its
// first, entries without a device dropped, and the unused entries last, as
// With keeps them. Decode tidies what it reads, so that a hand-edited item
// cannot break the invariants.
func (z Zones) tidy() Zones {
	var out Zones
	n := 0
	for _, e := range z {
		if e.Device == "" {
			continue
		}
		if i := slices.IndexFunc(out[:n], func(k DeviceZone) bool { return k.Device == e.Device }); i >= 0 {
			if e.Read >= out[i].Read {
				out[i] = e
			}
			continue
		}
		out[n] = e
		n++
	}
	return out
}
