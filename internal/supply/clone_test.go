package supply

import (
	"reflect"
	"testing"
)

func TestClonesShareNothing(t *testing.T) {
	t.Parallel()
	run := &Run{ID: "r", Stops: []Stop{{ID: "stop-1", RequestIDs: []string{"a"}, Delivered: []DeliveredLine{{RequestID: "a", Quantity: 5}}}}}
	c := run.Clone()
	c.Stops[0].RequestIDs[0], c.Stops[0].Delivered[0].Quantity, c.Stops[0].State = "b", 9, StopDone
	c.Stops = append(c.Stops, Stop{ID: "stop-2"})
	if run.Stops[0].RequestIDs[0] != "a" || run.Stops[0].Delivered[0].Quantity != 5 || run.Stops[0].State != "" || len(run.Stops) != 1 {
		t.Errorf("changing a clone changed the run: %+v", run)
	}
	r := &DeliveryRequest{Lines: []LineItem{{Quantity: 1}}}
	rc := r.Clone()
	rc.Lines[0].Delivered = 1
	h := &Hospital{Location: &LatLng{Latitude: 43}}
	hc := h.Clone()
	hc.Location.Latitude = 0
	d := &Depot{Location: &LatLng{Latitude: 43}}
	dc := d.Clone()
	dc.Location.Latitude = 0
	if r.Lines[0].Delivered != 0 || h.Location.Latitude != 43 || d.Location.Latitude != 43 {
		t.Error("a clone shares lines or a location with its original")
	}
	w := &Ward{ID: "icu"}
	v := &Volunteer{ID: "v"}
	if !reflect.DeepEqual(w.Clone(), w) || !reflect.DeepEqual(v.Clone(), v) || !reflect.DeepEqual(run.Clone(), run) {
		t.Error("a clone differs from its original")
	}
}
