package api

import (
	"context"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

type authService struct {
	aqjurekv1.UnimplementedAuthServiceServer
}

func (authService) GetCaller(ctx context.Context, _ *aqjurekv1.GetCallerRequest) (*aqjurekv1.Caller, error) {
	a := supply.ActorFrom(ctx)
	c := &aqjurekv1.Caller{DisplayName: a.Name, Role: a.Role}
	if a.HospitalID != "" {
		c.Hospital = supply.Name(supply.HospitalPattern, a.HospitalID)
	}
	if a.VolunteerID != "" {
		c.Volunteer = supply.Name(supply.VolunteerPattern, a.VolunteerID)
	}
	return c, nil
}
