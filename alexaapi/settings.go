package alexaapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"
	_ "time/tzdata" // see the package documentation: Time zones
)

// maxZoneName bounds a time zone name from the Settings API; the longest
// IANA names are about 30 characters.
const maxZoneName = 128

// TimeZone reads the time zone of the user's device from the Settings API:
// GET {apiEndpoint}/v2/devices/{deviceId}/settings/System.timeZone, whose
// body is a JSON string such as "America/Los_Angeles". It needs no
// permission. A name that is not a known IANA zone fails with
// ErrBadResponse (Unavailable): speak relative times instead.
func (c *Client) TimeZone(ctx context.Context, ep Endpoint, deviceID string) (*time.Location, error) {
	const op = "get time zone"
	if deviceID == "" {
		return nil, fmt.Errorf("alexaapi: %s: %w: empty device id", op, ErrInvalidRequest)
	}
	var name string
	path := "/v2/devices/" + url.PathEscape(deviceID) + "/settings/System.timeZone"
	if err := c.do(ctx, ep, call{op: op, method: http.MethodGet, path: path, out: &name}); err != nil {
		return nil, err
	}
	// "" and "Local" are valid for time.LoadLocation (UTC and the Lambda
	// host's zone) but not the user's zone.
	if name == "" || name == "Local" || len(name) > maxZoneName {
		return nil, fmt.Errorf("alexaapi: %s: %w: not a zone name: %q", op, ErrBadResponse, cleanText(name, 32, ""))
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		// LoadLocation's error repeats the name raw (control characters
		// and all): name it cleaned and cut instead.
		return nil, fmt.Errorf("alexaapi: %s: %w: unknown zone %q", op, ErrBadResponse, cleanText(name, 32, ""))
	}
	return loc, nil
}
