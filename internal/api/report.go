package api

import (
	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
)

type reportService struct {
	aqjurekv1.UnimplementedReportServiceServer
	*Services
}
