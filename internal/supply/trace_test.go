package supply

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNamedDonorsShowTheOfficeEveryoneAndOthersOnlyWhoConsented(t *testing.T) {
	aigerim := Donor{DisplayName: "Aigerim S.", Contact: "+7 701 000 0001", PublicNaming: true}
	timur := Donor{DisplayName: "Тимур О.", Contact: "+7 701 000 0002"}
	donors := []StopDonor{
		{RunID: "r", StopID: "s", DonationID: "kaspi-1", Donor: aigerim},
		{RunID: "r", StopID: "s", DonationID: "cash-1", Donor: timur},
		{RunID: "r", StopID: "s", DonationID: "cash-2", Donor: timur},
		{RunID: "r", StopID: "s", DonationID: "cash-3", Donor: Donor{DisplayName: "Cash box"}},
		// Aigerim's second gift was given unnamed: she is still not one of
		// the others.
		{RunID: "r", StopID: "s", DonationID: "kaspi-2", Donor: Donor{DisplayName: aigerim.DisplayName, Contact: aigerim.Contact}},
	}
	noContact := func(d Donor) Donor { d.Contact = ""; return d }
	for _, tc := range []struct {
		role   string
		named  []string
		others int
	}{
		{RoleCoordinator, []string{"kaspi-1", "cash-1", "cash-2", "cash-3", "kaspi-2"}, 0},
		{RoleAdmin, []string{"kaspi-1", "cash-1", "cash-2", "cash-3", "kaspi-2"}, 0},
		// Timur gave twice: he is one other donor, not two.
		{RoleDriver, []string{"kaspi-1"}, 2},
		{RoleStaff, []string{"kaspi-1"}, 2},
	} {
		named, others := NamedDonors(Actor{Role: tc.role}, donors)
		var ids []string
		for _, d := range named {
			ids = append(ids, d.DonationID)
			if d.Donor != noContact(d.Donor) {
				t.Errorf("%s is shown %s's contact", tc.role, d.Donor.DisplayName)
			}
		}
		if diff := cmp.Diff(tc.named, ids); diff != "" || others != tc.others {
			t.Errorf("%s sees (-want +got):\n%s\nand %d others, want %d", tc.role, diff, others, tc.others)
		}
	}
	if donors[0].Donor.Contact == "" {
		t.Error("NamedDonors changed the caller's donors")
	}
}
