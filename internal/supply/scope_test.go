package supply

import "testing"

func TestStaffOrDriversBoundToNoOneReachNothing(t *testing.T) {
	for _, a := range []Actor{{Role: RoleStaff}, {Role: RoleDriver}} {
		s := a.Scope()
		if s == (Scope{}) || s.ReachesHospital("gkb-7") && s.ReachesVolunteer("aigerim") {
			t.Errorf("%s bound to no one has scope %+v, which reaches gkb-7 and aigerim", a.Role, s)
		}
	}
	for _, a := range []Actor{{Role: RoleAdmin}, {Role: RoleCoordinator}} {
		if s := a.Scope(); s != (Scope{}) {
			t.Errorf("%s has scope %+v, want everything", a.Role, s)
		}
	}
}
