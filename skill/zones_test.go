package skill_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"spasmcoach/skill"
)

func TestZonesWith(t *testing.T) {
	berlin := skill.DeviceZone{Device: "kitchen", Name: "Europe/Berlin", Read: 100}
	full := skill.Zones{
		{Device: "a", Name: "Europe/Paris", Read: 300},
		{Device: "b", Name: "Asia/Tokyo", Read: 200},
		{Device: "c", Name: "Africa/Cairo", Read: 400},
		{Device: "d", Name: "America/Denver", Read: 250},
	}
	tests := []struct {
		name string
		z    skill.Zones
		e    skill.DeviceZone
		want skill.Zones
	}{
		{"first device", skill.Zones{}, berlin, skill.Zones{berlin}},
		{"the device's own entry is replaced",
			skill.Zones{{Device: "a", Name: "Europe/Paris", Read: 1}, {Device: "kitchen", Name: "Asia/Tokyo", Read: 50}},
			berlin,
			skill.Zones{{Device: "a", Name: "Europe/Paris", Read: 1}, berlin}},
		{"an unused entry before one read long ago",
			skill.Zones{{Device: "a", Name: "Europe/Paris", Read: 1}, {}, {Device: "b", Name: "Asia/Tokyo", Read: 2}},
			berlin,
			skill.Zones{{Device: "a", Name: "Europe/Paris", Read: 1}, berlin, {Device: "b", Name: "Asia/Tokyo", Read: 2}}},
		{"a fifth device replaces the one read longest ago", full, berlin,
			skill.Zones{full[0], berlin, full[2], full[3]}},
		{"no device, no change", full, skill.DeviceZone{Name: "Europe/Berlin", Read: 999}, full},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.z.With(tc.e)
			if got != tc.want {
				t.Errorf("With = %+v, want %+v", got, tc.want)
			}
			if e, ok := got.Lookup(tc.e.Device); tc.e.Device != "" && (!ok || e != tc.e) {
				t.Errorf("Lookup(%q) = %+v, %v after With", tc.e.Device, e, ok)
			}
		})
	}
}

func TestDeviceZoneFresh(t *testing.T) {
	now := time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		e    skill.DeviceZone
		want bool
	}{
		{"read just now", skill.DeviceZone{Device: "a", Name: "Europe/Berlin", Read: skill.At(now)}, true},
		{"read six days ago", skill.DeviceZone{Device: "a", Name: "Europe/Berlin", Read: skill.At(now.Add(-6 * 24 * time.Hour))}, true},
		{"read seven days ago", skill.DeviceZone{Device: "a", Name: "Europe/Berlin", Read: skill.At(now.Add(-skill.ZoneMaxAge))}, false},
		{"never read", skill.DeviceZone{Device: "a", Name: "Europe/Berlin"}, false},
		{"no name", skill.DeviceZone{Device: "a", Read: skill.At(now)}, false},
	}
	for _, tc := range tests {
		if got := tc.e.Fresh(now); got != tc.want {
			t.Errorf("%s: Fresh = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCheckZones(t *testing.T) {
	base := skill.State{Schema: skill.SchemaVersion, Step: 2, Episode: 1773151200}
	tests := []struct {
		name  string
		zones skill.Zones
		ok    bool
	}{
		{"none", skill.Zones{}, true},
		{"two devices, a gap between", skill.Zones{{Device: "a", Name: "Europe/Berlin", Read: 1}, {}, {Device: "b", Name: "Asia/Tokyo", Read: 2}}, true},
		{"an entry without a device", skill.Zones{{Name: "Europe/Berlin", Read: 1}}, false},
		{"an entry without a name", skill.Zones{{Device: "a", Read: 1}}, false},
		{"two entries of one device", skill.Zones{{Device: "a", Name: "Europe/Berlin", Read: 1}, {Device: "a", Name: "Asia/Tokyo", Read: 2}}, false},
	}
	for _, tc := range tests {
		s := base
		s.Zones = tc.zones
		err := s.Check()
		if (err == nil) != tc.ok || err != nil && !errors.Is(err, skill.ErrInvalid) {
			t.Errorf("%s: Check = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

// TestZonesJSON: zones survive Encode and Decode unchanged, the strings
// that need escaping included, and encode as encoding/json encodes a slice
// of the entries in use.
func TestZonesJSON(t *testing.T) {
	z := skill.Zones{
		{Device: "a", Name: "Europe/Berlin", Read: 1773151200},
		{Device: `odd"\<>&` + "\u00e9\n", Name: "America/Argentina/Buenos_Aires"},
		{Device: "c", Read: 7},
	}
	s := skill.State{Schema: skill.SchemaVersion, Zones: z}
	b, err := skill.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(map[string]any{"sv": skill.SchemaVersion, "tz": []skill.DeviceZone{z[0], z[1], z[2]}})
	if err != nil {
		t.Fatal(err)
	}
	if !jsonSame(t, b, want) {
		t.Errorf("Encode = %s, want %s", b, want)
	}
	got, err := skill.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if got != s {
		t.Errorf("Decode(Encode(s)) = %+v, want %+v", got.Zones, s.Zones)
	}
}

func jsonSame(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return reflect.DeepEqual(x, y)
}
