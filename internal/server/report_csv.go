package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

// reportSection is one table of the report as a CSV file: its header row
// and its rows.
type reportSection struct {
	header []string
	rows   func(r *aqjurekv1.Report) [][]cell
}

// cell is one CSV cell. Text is what a person or a resource wrote, which a
// spreadsheet must not take for a formula; a number or date is not text.
type cell struct {
	value string
	text  bool
}

func text(s string) cell { return cell{value: s, text: true} }

func number[T int32 | int64](n T) cell { return cell{value: strconv.FormatInt(int64(n), 10)} }

func quantity(q float64) cell { return cell{value: strconv.FormatFloat(q, 'f', -1, 64)} }

func day(d *date.Date) cell {
	return cell{value: fmt.Sprintf("%04d-%02d-%02d", d.GetYear(), d.GetMonth(), d.GetDay())}
}

// amount writes money as a decimal string in the currency's minor digits,
// such as 55000.50; its currency is a column of its own. It reads the
// digits of units and nanos as they are, so a total larger than any one
// gift may be is written in full.
func amount(m *money.Money) cell {
	units, nanos := m.GetUnits(), m.GetNanos()
	sign := ""
	if units < 0 || nanos < 0 {
		sign = "-"
	}
	whole := strings.TrimPrefix(strconv.FormatInt(units, 10), "-")
	digits := supply.MinorDigits(m.GetCurrencyCode())
	if digits == 0 {
		return cell{value: sign + whole}
	}
	fraction := fmt.Sprintf("%09d", max(nanos, -nanos))[:digits]
	return cell{value: sign + whole + "." + fraction}
}

// reportSections are the report's tables by the name of their file.
var reportSections = map[string]reportSection{
	"deliveries": {
		header: []string{"day", "hospital", "hospital_name", "category", "unit", "quantity", "requests"},
		rows: func(r *aqjurekv1.Report) (out [][]cell) {
			for _, d := range r.GetDeliveries() {
				out = append(out, []cell{day(d.GetDay()), text(d.GetHospital()), text(d.GetHospitalDisplayName()),
					text(d.GetCategory().String()), text(d.GetUnit().String()), quantity(d.GetQuantity()), number(d.GetRequests())})
			}
			return out
		},
	},
	"served": {
		header: []string{"day", "hospital", "hospital_name", "drops", "headcount"},
		rows: func(r *aqjurekv1.Report) (out [][]cell) {
			for _, s := range r.GetServed() {
				out = append(out, []cell{day(s.GetDay()), text(s.GetHospital()), text(s.GetHospitalDisplayName()),
					number(s.GetDrops()), number(s.GetHeadcount())})
			}
			return out
		},
	},
	"money": {
		header: []string{"currency", "received", "spent", "left", "donations", "purchases"},
		rows: func(r *aqjurekv1.Report) (out [][]cell) {
			for _, m := range r.GetMoney() {
				out = append(out, []cell{text(m.GetCurrencyCode()), amount(m.GetReceived()), amount(m.GetSpent()), amount(m.GetLeft()),
					number(m.GetDonations()), number(m.GetPurchases())})
			}
			return out
		},
	},
	"stock": {
		header: []string{"depot", "depot_name", "category", "unit", "received", "taken", "written_off", "on_hand"},
		rows: func(r *aqjurekv1.Report) (out [][]cell) {
			for _, s := range r.GetStock() {
				out = append(out, []cell{text(s.GetDepot()), text(s.GetDepotDisplayName()), text(s.GetCategory().String()),
					text(s.GetUnit().String()), quantity(s.GetReceived()), quantity(s.GetTaken()), quantity(s.GetWrittenOff()),
					quantity(s.GetOnHand())})
			}
			return out
		},
	},
	"written-off": {
		header: []string{"day", "time", "depot", "lot", "category", "description", "quantity", "unit", "reason"},
		rows: func(r *aqjurekv1.Report) (out [][]cell) {
			for _, w := range r.GetWrittenOff() {
				at := w.GetTime().AsTime().In(supply.City)
				out = append(out, []cell{day(&date.Date{Year: int32(at.Year()), Month: int32(at.Month()), Day: int32(at.Day())}),
					{value: at.Format("15:04:05")}, text(w.GetDepot()), text(w.GetLot()), text(w.GetCategory().String()),
					text(w.GetDescription()), quantity(w.GetQuantity()), text(w.GetUnit().String()), text(w.GetReason())})
			}
			return out
		},
	},
}

// formulaSafe keeps a spreadsheet from running a text cell as a formula: text
// that starts with one of = + - @, a tab or a carriage return, also after
// spaces, gets a leading apostrophe, which spreadsheets show as text.
func formulaSafe(c cell) string {
	if first := strings.TrimLeft(c.value, " "); c.text && first != "" && strings.ContainsRune("=+-@\t\r", rune(first[0])) {
		return "'" + c.value
	}
	return c.value
}

// csvLine writes one row, RFC 4180, with CRLF. A text cell is quoted when
// it holds a comma, a quote, a line break, leading or trailing space, or a
// semicolon: Excel set to Russian or Kazakh splits a .csv file at
// semicolons, and unquoted "apples;=2+2" would give a formula a cell of
// its own.
func csvLine(w *bytes.Buffer, row []cell) {
	for i, c := range row {
		if i > 0 {
			w.WriteByte(',')
		}
		v := formulaSafe(c)
		if c.text && (strings.ContainsAny(v, ",;\"\r\n") || strings.TrimSpace(v) != v) {
			v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
		}
		w.WriteString(v)
	}
	w.WriteString("\r\n")
}

// reportCSV serves GET /v1/report/{section}.csv: one table of the report
// of GET /v1/report, for the same period parameters. It calls GetReport
// through the gateway's own client connection with the caller's
// Authorization header, so authentication, limits and logging run as for
// the JSON report, and an error answers JSON as every REST error does.
func reportCSV(gateway *runtime.ServeMux, conn *grpc.ClientConn, gatewaySecret string) http.HandlerFunc {
	client := aqjurekv1.NewReportServiceClient(conn)
	return func(w http.ResponseWriter, r *http.Request) {
		_, out := runtime.MarshalerForRequest(gateway, r)
		fail := func(err error) { answerError(r.Context(), gateway, out, w, r, err) }
		name, isCSV := strings.CutSuffix(r.PathValue("file"), ".csv")
		section, known := reportSections[name]
		if !isCSV || !known {
			fail(status.Errorf(codes.NotFound, "%s not found", r.URL.Path))
			return
		}
		req := &aqjurekv1.GetReportRequest{}
		if err := r.ParseForm(); err != nil {
			fail(status.Errorf(codes.InvalidArgument, "the query is not valid: %v", err))
			return
		}
		if err := runtime.PopulateQueryParameters(req, r.Form, utilities.NewDoubleArray(nil)); err != nil {
			fail(status.Errorf(codes.InvalidArgument, "the query is not valid: %v", err))
			return
		}
		md := gatewayMetadata(gatewaySecret, r)
		for header, key := range map[string]string{"Authorization": "authorization", "Accept-Language": "accept-language"} {
			if v := r.Header.Get(header); v != "" {
				md.Set(key, v)
			}
		}
		report, err := client.GetReport(metadata.NewOutgoingContext(r.Context(), md), req)
		if err != nil {
			fail(err)
			return
		}
		var body bytes.Buffer
		body.WriteString("\uFEFF") // the BOM: Excel reads the file as UTF-8
		header := make([]cell, len(section.header))
		for i, name := range section.header {
			header[i] = text(name)
		}
		csvLine(&body, header)
		for _, row := range section.rows(report) {
			csvLine(&body, row)
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="aqjurek-%s-%s-to-%s.csv"`, name,
			day(report.GetStartDate()).value, day(report.GetEndDate()).value))
		w.Write(body.Bytes())
	}
}
