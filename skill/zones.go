package skill

import (
	"encoding/json"
	"fmt"
	"slices"
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
// in use.
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

// MarshalJSON encodes the entries in use as a JSON array.
func (z Zones) MarshalJSON() ([]byte, error) {
	used := make([]DeviceZone, 0, MaxZones)
	for _, e := range z {
		if e != (DeviceZone{}) {
			used = append(used, e)
		}
	}
	b, err := json.Marshal(used)
	if err != nil {
		return nil, fmt.Errorf("skill: encode zones: %w", err)
	}
	return b, nil
}

// UnmarshalJSON decodes a JSON array of entries, in order, so that a
// State survives Encode and Decode unchanged. Of several entries of one
// device, or more than MaxZones, those read last are kept.
func (z *Zones) UnmarshalJSON(b []byte) error {
	var entries []DeviceZone
	if err := json.Unmarshal(b, &entries); err != nil {
		return fmt.Errorf("skill: decode zones: %w", err)
	}
	// A device's entry read last stands for the device, in the place of
	// its first entry.
	var kept []DeviceZone
	for _, e := range entries {
		if e.Device == "" {
			continue
		}
		i := slices.IndexFunc(kept, func(k DeviceZone) bool { return k.Device == e.Device })
		switch {
		case i < 0:
			kept = append(kept, e)
		case e.Read >= kept[i].Read:
			kept[i] = e
		}
	}
	for len(kept) > MaxZones {
		oldest := 0
		for i, e := range kept {
			if e.Read < kept[oldest].Read {
				oldest = i
			}
		}
		kept = slices.Delete(kept, oldest, oldest+1)
	}
	*z = Zones{}
	copy(z[:], kept)
	return nil
}
