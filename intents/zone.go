package intents

import (
	"context"
	"fmt"
	"sync"
	"time"

	"spasmcoach/skill"
)

// maxMemoDevices bounds how many devices' time zones a Handler remembers.
const maxMemoDevices = 4096

// zoneMemo remembers, for the life of the process, the time zone of each
// device the handler has seen (by Request.DeviceKey): a copy of what the
// users' stored states hold, so that a launch on a device whose fresh
// zone this instance already knows starts no Settings API call before it
// has read the state. When full, an arbitrary entry makes room. Safe for
// concurrent use.
type zoneMemo struct {
	mu sync.Mutex
	m  map[string]skill.DeviceZone
}

// get returns what the memo holds for device.
func (z *zoneMemo) get(device string) skill.DeviceZone {
	if device == "" {
		return skill.DeviceZone{}
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.m[device]
}

// put remembers e, unless the memo holds a later reading of its device.
func (z *zoneMemo) put(e skill.DeviceZone) {
	if e.Device == "" || e.Name == "" {
		return
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.m == nil {
		z.m = map[string]skill.DeviceZone{}
	}
	old, ok := z.m[e.Device]
	switch {
	case ok && old.Read >= e.Read:
		return
	case !ok && len(z.m) >= maxMemoDevices:
		for k := range z.m {
			delete(z.m, k)
			break
		}
	}
	z.m[e.Device] = e
}

// locations caches time.LoadLocation by zone name, for the life of the
// process: LoadLocation looks for the zone's file on disk and parses it on
// every call, and an in-session turn needs the zone every time. Only
// names that loaded are kept, so it holds at most the few hundred IANA
// zones.
var locations sync.Map // string → *time.Location

// loadLocation is time.LoadLocation, cached.
func loadLocation(name string) (*time.Location, error) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}

// zoneCall is a Settings API call running alongside the read of the
// state.
type zoneCall struct {
	done   chan struct{}
	cancel context.CancelFunc
	loc    *time.Location
	err    error
	took   time.Duration
}

// startZoneCall starts reading the device's time zone from the Settings
// API, within the per-call budget.
func (t *turn) startZoneCall(ctx context.Context) *zoneCall {
	cctx, cancel := t.h.callContext(ctx)
	c := &zoneCall{done: make(chan struct{}), cancel: cancel}
	deviceID := t.req.Context.System.Device.DeviceID
	go func() {
		defer close(c.done)
		defer func() {
			// Invoke's recover does not reach this goroutine.
			if p := recover(); p != nil {
				c.err = fmt.Errorf("intents: time zone call panicked: %v", p)
			}
		}()
		start := time.Now()
		c.loc, c.err = t.h.alerts.TimeZone(cctx, t.ep, deviceID)
		c.took = time.Since(start)
	}()
	return c
}

// wait waits for the call's answer; the call's own deadline bounds the
// wait.
func (c *zoneCall) wait() {
	<-c.done
	c.cancel()
}

// abandon gives the call up, and returns once it has stopped.
func (c *zoneCall) abandon() {
	c.cancel()
	<-c.done
}

// canAskZone reports whether the Settings API can be asked for the time
// zone of device (its deviceKey).
func (t *turn) canAskZone(device string) bool {
	return t.h.alerts != nil && t.ep.Token != "" && t.ep.BaseURL != "" && device != ""
}

// loadWithZone loads the state (load) and settles the user's time zone for
// the turn. Within a session, the zone is the one the session carries.
// At the start of a session it is the zone stored for this device, or
// remembered by this instance, when it was read within skill.ZoneMaxAge;
// else it is read from the Settings API. When this instance knows no fresh
// zone for the device, that call is hedged (hedgeZoneCall): it starts when
// the read shows no fresh stored zone, or when the read has taken longer
// than the handler's zone hedge, whichever comes first, so a returning
// user's launch makes no call and a slow read still overlaps it. A call
// started for a zone the read then brings is abandoned. A call that fails
// or outlasts its budget leaves the zone read earlier, however old, or
// none (then times are spoken relative to now).
func (t *turn) loadWithZone(ctx context.Context) (saved, fault) {
	if name, ok := t.req.SessionZone(); ok {
		t.useSessionZone(name)
		return t.load(ctx)
	}
	device := deviceKey(t.req)
	known := t.h.zones.get(device)
	var hedged *hedgedCall
	if !known.Fresh(t.now) && t.canAskZone(device) {
		hedged = t.hedgeZoneCall(ctx)
		defer hedged.stop() // also when load panics
	}
	cur, f := t.load(ctx)
	call := hedged.stop()
	if f != faultNone {
		if call != nil {
			call.abandon()
		}
		return cur, f
	}
	if stored, ok := cur.Zones.Lookup(device); ok && stored.Read > known.Read {
		known = stored
	}
	switch {
	case hedged == nil:
	case known.Fresh(t.now):
		if call != nil {
			call.abandon()
			t.h.log.DebugContext(ctx, "time zone call abandoned: the stored zone is fresh", "requestId", t.rec.requestID)
		}
	default:
		if call == nil {
			call = t.startZoneCall(ctx)
		}
		call.wait()
		t.logAPICall(ctx, opTimeZone, call.err, call.took)
		if call.err == nil {
			known = skill.DeviceZone{Device: device, Name: call.loc.String(), Read: skill.At(t.now)}
		}
	}
	t.settleZone(known, call != nil)
	return cur, faultNone
}

// hedgedCall is a Settings API call that starts after a delay unless it
// is stopped first.
type hedgedCall struct {
	mu      sync.Mutex
	timer   *time.Timer
	call    *zoneCall
	stopped bool
}

// hedgeZoneCall starts the time zone call after the handler's zone hedge
// (at once when that is zero), unless stop comes first.
func (t *turn) hedgeZoneCall(ctx context.Context) *hedgedCall {
	h := &hedgedCall{}
	if t.h.zoneHedge <= 0 {
		h.call = t.startZoneCall(ctx)
		return h
	}
	h.timer = time.AfterFunc(t.h.zoneHedge, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if !h.stopped {
			h.call = t.startZoneCall(ctx)
		}
	})
	return h
}

// stop keeps the call from starting, and returns it if it already has (nil
// for a nil hedgedCall).
func (h *hedgedCall) stop() *zoneCall {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopped = true
	if h.timer != nil {
		h.timer.Stop()
	}
	return h.call
}

// settleZone makes e the turn's time zone, to be stored with the state and
// remembered, when it names one. asked says whether the Settings API was
// asked: then the session remembers that none could be read, and does not
// ask again.
func (t *turn) settleZone(e skill.DeviceZone, asked bool) {
	var loc *time.Location
	if e.Name != "" {
		var err error
		if loc, err = loadLocation(e.Name); err != nil {
			e, loc = skill.DeviceZone{}, nil
		}
	}
	if loc == nil {
		if asked {
			t.zoneName = new(string)
		}
		return
	}
	t.zone, t.zoneName = loc, &e.Name
	t.zoneEntry = e
	t.h.zones.put(e)
}

// useSessionZone takes the time zone the session carries ("" when it
// could not be read).
func (t *turn) useSessionZone(name string) {
	if loc, err := loadLocation(name); name != "" && err == nil {
		t.zone, t.zoneName = loc, &name
		return
	}
	// None, or a name that is no zone (the session carries it back only
	// as read): none known for the rest of the session.
	t.zoneName = new(string)
}

// prepare returns s with what the turn keeps beside the state machine's
// own fields: the device's time zone, when the turn settled one.
func (t *turn) prepare(s skill.State) skill.State {
	if t.zoneEntry.Device != "" {
		s.Zones = s.Zones.With(t.zoneEntry)
	}
	return s
}

// refreshDue reports whether a stored state must be saved again although
// nothing changed: when it was last saved on an earlier calendar day (in
// the user's time zone, else UTC), so that the store's expiry moves at
// least once on each day the skill is used.
func (t *turn) refreshDue(s saved) bool {
	if s.version == 0 {
		return false
	}
	zone := t.zone
	if zone == nil {
		zone = time.UTC
	}
	y1, m1, d1 := s.Written.Time().In(zone).Date()
	y2, m2, d2 := t.now.In(zone).Date()
	return s.Written.IsZero() || y1 != y2 || m1 != m2 || d1 != d2
}
