package intents

import (
	"fmt"
	"testing"

	"spasmcoach/skill"
)

// TestZoneMemo: the memo keeps a device's latest reading, ignores
// incomplete entries, and never holds more than maxMemoDevices devices.
func TestZoneMemo(t *testing.T) {
	var m zoneMemo
	berlin := skill.DeviceZone{Device: "kitchen", Name: "Europe/Berlin", Read: 200}
	m.put(berlin)
	m.put(skill.DeviceZone{Device: "kitchen", Name: "Asia/Tokyo", Read: 100})
	if got := m.get("kitchen"); got != berlin {
		t.Errorf("an older reading replaced a newer one: %+v", got)
	}
	later := skill.DeviceZone{Device: "kitchen", Name: "Europe/London", Read: 300}
	m.put(later)
	if got := m.get("kitchen"); got != later {
		t.Errorf("a newer reading was not kept: %+v", got)
	}
	m.put(skill.DeviceZone{Device: "hall", Read: 400})
	m.put(skill.DeviceZone{Name: "Europe/Paris", Read: 400})
	if got := m.get("hall"); got != (skill.DeviceZone{}) {
		t.Errorf("an entry without a zone name was kept: %+v", got)
	}
	if got := m.get(""); got != (skill.DeviceZone{}) {
		t.Errorf("an entry without a device was kept: %+v", got)
	}
	for i := range maxMemoDevices + 10 {
		m.put(skill.DeviceZone{Device: fmt.Sprint("device-", i), Name: "Europe/Paris", Read: 1})
	}
	if n := len(m.m); n != maxMemoDevices {
		t.Errorf("the memo holds %d devices, want at most %d (and full)", n, maxMemoDevices)
	}
	if got := m.get("device-" + fmt.Sprint(maxMemoDevices+9)); got.Name != "Europe/Paris" {
		t.Errorf("the last device put is not kept: %+v", got)
	}
}
