package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	aqjurekv1 "github.com/aqjurek/tracker/gen/aqjurek/v1"
	"github.com/aqjurek/tracker/internal/supply"
)

// period is the query of a report from the first day to the last.
func period(first, last *date.Date) string {
	return fmt.Sprintf("startDate.year=%d&startDate.month=%d&startDate.day=%d&endDate.year=%d&endDate.month=%d&endDate.day=%d",
		first.GetYear(), first.GetMonth(), first.GetDay(), last.GetYear(), last.GetMonth(), last.GetDay())
}

// report gets the report over gRPC and over REST, fails the test unless
// both say the same, and returns it.
func (s *testServer) report(first, last *date.Date) *aqjurekv1.Report {
	s.t.Helper()
	g, err := aqjurekv1.NewReportServiceClient(s.conn()).GetReport(context.Background(), &aqjurekv1.GetReportRequest{StartDate: first, EndDate: last})
	if err != nil {
		s.t.Fatal(err)
	}
	body, status := s.get("/v1/report?" + period(first, last))
	if status != 200 {
		s.t.Fatalf("GET /v1/report: %d %s", status, body)
	}
	r := &aqjurekv1.Report{}
	if err := protojson.Unmarshal(body, r); err != nil {
		s.t.Fatalf("%v: %s", err, body)
	}
	if diff := cmp.Diff(g, r, protocmp.Transform()); diff != "" {
		s.t.Errorf("the report over REST differs from gRPC (-gRPC +REST):\n%s", diff)
	}
	return g
}

// get sends a GET with the caller's token and returns the body and status.
func (s *testServer) get(path string) ([]byte, int) {
	s.t.Helper()
	resp := s.getWith(s.http, path)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		s.t.Fatal(err)
	}
	return body, resp.StatusCode
}

func kzt(units int64, nanos int32) *money.Money {
	return &money.Money{CurrencyCode: "KZT", Units: units, Nanos: nanos}
}

func usd(units int64) *money.Money { return &money.Money{CurrencyCode: "USD", Units: units} }

var (
	april1 = &date.Date{Year: 2026, Month: 4, Day: 1}
	april2 = &date.Date{Year: 2026, Month: 4, Day: 2}
	april3 = &date.Date{Year: 2026, Month: 4, Day: 3}
)

func TestTheReportTellsDeliveriesMoneyAndStockOfAPeriod(t *testing.T) {
	t.Parallel()
	s := newBooks(t)
	appleLot, juiceLot := s.lotNamed("donations/crates", "алма / яблоки"), s.lotNamed("donations/crates", "=SUM(A1:A9)")
	fruit, juice := aqjurekv1.Category_FRUIT, aqjurekv1.Category_JUICE
	kg, liter := aqjurekv1.Unit_KILOGRAM, aqjurekv1.Unit_LITER
	stock := func(received, taken, writtenOff float64) []*aqjurekv1.Report_StockRow {
		return []*aqjurekv1.Report_StockRow{
			{Depot: "depots/green-bazaar", DepotDisplayName: "Green Bazaar", Category: fruit, Unit: kg, Received: received * 65, Taken: taken * 15,
				WrittenOff: writtenOff * 1.5, OnHand: 48.5},
			{Depot: "depots/green-bazaar", DepotDisplayName: "Green Bazaar", Category: juice, Unit: liter, Received: received * 24, Taken: taken * 6,
				WrittenOff: writtenOff * 2, OnHand: 16},
			{Depot: "depots/green-bazaar", DepotDisplayName: "Green Bazaar", Category: aqjurekv1.Category_WATER, Unit: liter, Received: received * 48,
				OnHand: 48},
			// Run B took 20 portions and brought all 20 back: it took nothing.
			{Depot: "depots/kitchen", DepotDisplayName: "Қазақ асханасы", Category: aqjurekv1.Category_MEALS, Unit: aqjurekv1.Unit_PORTION,
				Received: received * 30, OnHand: 30},
		}
	}
	at := timestamppb.New(time.Date(2026, 4, 3, 4, 50, 0, 0, time.UTC))
	want := &aqjurekv1.Report{
		StartDate: &date.Date{Year: 2026, Month: 3, Day: 21}, EndDate: april3,
		Deliveries: []*aqjurekv1.Report_DeliveryRow{
			{Day: april3, Hospital: "hospitals/gkb-1", HospitalDisplayName: "Central Hospital", Category: fruit, Unit: kg, Quantity: 3, Requests: 1},
			{Day: april3, Hospital: "hospitals/gkb-1", HospitalDisplayName: "Central Hospital", Category: juice, Unit: liter, Quantity: 6, Requests: 1},
			{Day: april3, Hospital: "hospitals/gkb-7", HospitalDisplayName: "City Hospital No. 7", Category: fruit, Unit: kg, Quantity: 12, Requests: 1},
		},
		// The failed drop of meals at the ICU is no drop and fed no one.
		Served: []*aqjurekv1.Report_ServedRow{
			{Day: april3, Hospital: "hospitals/gkb-1", HospitalDisplayName: "Central Hospital", Drops: 1, Headcount: 20},
			{Day: april3, Hospital: "hospitals/gkb-7", HospitalDisplayName: "City Hospital No. 7", Drops: 1, Headcount: 30},
		},
		ServedInPeriod: []*aqjurekv1.Report_ServedRow{
			{Hospital: "hospitals/gkb-1", HospitalDisplayName: "Central Hospital", Drops: 1, Headcount: 20},
			{Hospital: "hospitals/gkb-7", HospitalDisplayName: "City Hospital No. 7", Drops: 1, Headcount: 30},
		},
		// Two reversed gifts net out, and neither they nor their reversing
		// entries count as donations: two gifts stand.
		Money: []*aqjurekv1.Report_MoneyRow{
			{CurrencyCode: "KZT", Received: kzt(55000, 500000000), Spent: kzt(8000, 0), Left: kzt(47000, 500000000), Donations: 2, Purchases: 1},
			{CurrencyCode: "USD", Received: usd(350), Spent: usd(120), Left: usd(230), Donations: 2, Purchases: 1},
		},
		Stock: stock(1, 1, 1),
		WrittenOff: []*aqjurekv1.Report_WriteOffRow{
			{Time: at, Depot: "depots/green-bazaar", Lot: appleLot, Category: fruit, Description: "алма / яблоки", Quantity: 1.5, Unit: kg,
				Reason: "bruised, gone soft"},
			{Time: at, Depot: "depots/green-bazaar", Lot: juiceLot, Category: juice, Description: "=SUM(A1:A9)", Quantity: 2, Unit: liter,
				Reason: `leaking, "bad" caps`},
		},
		Delivered: []*aqjurekv1.CategoryAmount{{Category: fruit, Unit: kg, Quantity: 15}, {Category: juice, Unit: liter, Quantity: 6}},
	}
	// With no dates: the last 14 days, today last.
	g, err := aqjurekv1.NewReportServiceClient(s.conn()).GetReport(context.Background(), &aqjurekv1.GetReportRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, g, protocmp.Transform()); diff != "" {
		t.Errorf("the report of the last 14 days (-want +got):\n%s", diff)
	}
	body, code := s.get("/v1/report")
	rest := &aqjurekv1.Report{}
	if err := protojson.Unmarshal(body, rest); code != 200 || err != nil {
		t.Fatalf("GET /v1/report: %d %v %s", code, err, body)
	}
	if diff := cmp.Diff(want, rest, protocmp.Transform()); diff != "" {
		t.Errorf("the report of the last 14 days over REST (-want +got):\n%s", diff)
	}

	// April 2 alone: nothing happened, but what was left at its end was.
	quiet := s.report(april2, april2)
	wantQuiet := &aqjurekv1.Report{StartDate: april2, EndDate: april2,
		Money: []*aqjurekv1.Report_MoneyRow{
			{CurrencyCode: "KZT", Received: kzt(0, 0), Spent: kzt(0, 0), Left: kzt(47000, 500000000)},
			{CurrencyCode: "USD", Received: usd(0), Spent: usd(0), Left: usd(230)},
		},
		Stock: stock(0, 0, 0),
	}
	if diff := cmp.Diff(wantQuiet, quiet, protocmp.Transform()); diff != "" {
		t.Errorf("the report of April 2 (-want +got):\n%s", diff)
	}

	// The books balance in each currency: what was left before a period,
	// plus what came in, less what went out, is what was left after it; and
	// what is left today is what the donations say is left.
	before := s.report(&date.Date{Year: 2026, Month: 3, Day: 1}, april1)
	after := s.report(april2, april3)
	for i, m := range after.GetMoney() {
		prior := before.GetMoney()[i]
		if m.GetCurrencyCode() != prior.GetCurrencyCode() {
			t.Fatalf("currencies differ: %v, %v", before.GetMoney(), after.GetMoney())
		}
		left := minorUnits(prior.GetLeft()) + minorUnits(m.GetReceived()) - minorUnits(m.GetSpent())
		if left != minorUnits(m.GetLeft()) {
			t.Errorf("%s: left %d before, %+d in, %d out, but %d left after", m.GetCurrencyCode(), minorUnits(prior.GetLeft()),
				minorUnits(m.GetReceived()), minorUnits(m.GetSpent()), minorUnits(m.GetLeft()))
		}
		if _, books := s.checkBooks(t, m.GetCurrencyCode()); books != minorUnits(m.GetLeft()) {
			t.Errorf("%s: the report leaves %d, the donations %d", m.GetCurrencyCode(), minorUnits(m.GetLeft()), books)
		}
	}
}

// minorUnits reads a google.type.Money of a two-digit currency.
func minorUnits(m *money.Money) int64 { return m.GetUnits()*100 + int64(m.GetNanos())/10_000_000 }

func TestADropCountsOnTheCitysDayEitherSideOfMidnight(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 500)
	s.fleet("daniyar", 500)
	s.mustREST(200, "POST", "/v1/donations", object{"donor": object{"displayName": "Stall 12"},
		"goods": object{"depot": "depots/bazaar", "lines": []any{object{"category": "FRUIT", "description": "apples", "quantity": 100, "unit": "KILOGRAM"}}}})
	// 23:50 in Almaty (UTC+5) on April 3.
	s.clock.Advance(14*time.Hour + 50*time.Minute)
	// A need of 12.5 kg for 30 people: 8.5 kg handed over at 23:59:59, the
	// run back after midnight with the 4 kg left, which a second run hands
	// over at 00:00:01.
	need := s.mustREST(200, "POST", "/v1/deliveryRequests", s.need("hospitals/gkb-7/wards/icu"))["name"].(string)
	deliver := func(run, volunteer string, kg float64, after time.Duration) {
		t.Helper()
		s.plan(run, volunteer)
		s.mustREST(200, "POST", "/v1/runs/"+run+":assign", object{"deliveryRequests": []string{need}})
		s.mustREST(200, "POST", "/v1/runs/"+run+":dispatch", object{})
		stop := s.mustREST(200, "POST", "/v1/runs/"+run+":start", object{})["stops"].([]any)[0].(object)["name"].(string)
		s.clock.Advance(after)
		s.mustREST(200, "POST", "/v1/"+stop+":deliver", object{"receivedBy": "Nurse Aliya",
			"lines": []any{object{"deliveryRequest": need, "line": 0, "quantity": kg}}})
	}
	deliver("late", "aigerim", 8.5, 9*time.Minute+59*time.Second)
	s.clock.Advance(time.Second)
	s.mustREST(200, "POST", "/v1/runs/late:complete", object{})
	deliver("after", "daniyar", 4, time.Second)

	april4 := &date.Date{Year: 2026, Month: 4, Day: 4}
	row := func(day *date.Date, kg float64) *aqjurekv1.Report_DeliveryRow {
		return &aqjurekv1.Report_DeliveryRow{Day: day, Hospital: "hospitals/gkb-7", HospitalDisplayName: "Hospital gkb-7",
			Category: aqjurekv1.Category_FRUIT, Unit: aqjurekv1.Unit_KILOGRAM, Quantity: kg, Requests: 1}
	}
	served := func(day *date.Date, drops int32) *aqjurekv1.Report_ServedRow {
		return &aqjurekv1.Report_ServedRow{Day: day, Hospital: "hospitals/gkb-7", HospitalDisplayName: "Hospital gkb-7", Drops: drops, Headcount: 30}
	}
	got := s.report(april3, april4)
	if diff := cmp.Diff([]*aqjurekv1.Report_DeliveryRow{row(april3, 8.5), row(april4, 4)}, got.GetDeliveries(), protocmp.Transform()); diff != "" {
		t.Errorf("drops either side of midnight (-want +got):\n%s", diff)
	}
	// The ward's 30 were fed on both days, and once in the period.
	if diff := cmp.Diff([]*aqjurekv1.Report_ServedRow{served(april3, 1), served(april4, 1)}, got.GetServed(), protocmp.Transform()); diff != "" {
		t.Errorf("served by day (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]*aqjurekv1.Report_ServedRow{served(nil, 2)}, got.GetServedInPeriod(), protocmp.Transform()); diff != "" {
		t.Errorf("served in the period (-want +got):\n%s", diff)
	}
	fourth := s.report(april4, april4)
	if diff := cmp.Diff([]*aqjurekv1.Report_DeliveryRow{row(april4, 4)}, fourth.GetDeliveries(), protocmp.Transform()); diff != "" {
		t.Errorf("April 4 alone (-want +got):\n%s", diff)
	}
	// Stock moves on the day it moves: the first run took 12.5 kg on April
	// 3 and brought 4 back on April 4, when the second took them again, so
	// April 3's report says the same before and after April 4.
	taken := func(r *aqjurekv1.Report) float64 {
		for _, st := range r.GetStock() {
			if st.GetCategory() == aqjurekv1.Category_FRUIT {
				return st.GetTaken()
			}
		}
		return -1
	}
	if third, fourth := taken(s.report(april3, april3)), taken(fourth); third != 12.5 || fourth != 0 {
		t.Errorf("taken on April 3 and 4: %v and %v, want 12.5 and 0", third, fourth)
	}
}

func TestOnlyCoordinatorsAndAdminsReadReportsAndBadDatesNameTheirField(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.seed("gkb-7", "icu")
	s.fleet("aigerim", 500)
	for role, bearer := range map[string]string{
		supply.RoleStaff:  s.issue(supply.RoleStaff, "gkb-7", ""),
		supply.RoleDriver: s.issue(supply.RoleDriver, "", "aigerim"),
	} {
		as := s.as(bearer)
		for _, path := range []string{"/v1/report", "/v1/report/money.csv"} {
			if code, out := as.rest("GET", path, nil); code != http.StatusForbidden || out["code"] != float64(codes.PermissionDenied) {
				t.Errorf("%s as %s: %d %v, want 403 answered as JSON", path, role, code, out)
			}
		}
		_, err := aqjurekv1.NewReportServiceClient(as.conn()).GetReport(context.Background(), &aqjurekv1.GetReportRequest{})
		if code, _ := grpcViolations(err); code != codes.PermissionDenied {
			t.Errorf("GetReport as %s: %v, want PermissionDenied", role, err)
		}
	}
	// The admin reads them as the coordinators do.
	admin := s.as(s.issue(supply.RoleAdmin, "", ""))
	for _, path := range []string{"/v1/report", "/v1/report/money.csv"} {
		if body, code := admin.get(path); code != http.StatusOK {
			t.Errorf("%s as admin: %d %s, want 200", path, code, body)
		}
	}
	coordinator := s.as(s.issue(supply.RoleCoordinator, "", ""))
	for _, c := range []struct {
		query, field string
	}{
		{"startDate.year=2026&startDate.month=2&startDate.day=30", "start_date"},
		{"endDate.year=2026&endDate.month=13&endDate.day=1", "end_date"},
		{period(april3, april1), "start_date"},
		{period(&date.Date{Year: 2025, Month: 4, Day: 2}, april3), "start_date"},
	} {
		for _, path := range []string{"/v1/report?", "/v1/report/deliveries.csv?"} {
			code, out := coordinator.rest("GET", path+c.query, nil)
			if got := fieldViolations(out); code != 400 || len(got) != 1 || got[c.field] == "" {
				t.Errorf("%s%s: %d %v, want 400 naming %s", path, c.query, code, out, c.field)
			}
		}
	}
	// A leap year's 366 days are a period; one day more is not.
	if _, code := coordinator.get("/v1/report?" + period(&date.Date{Year: 2027, Month: 4, Day: 4}, &date.Date{Year: 2028, Month: 4, Day: 3})); code != 200 {
		t.Errorf("366 days: %d, want 200", code)
	}
	_, err := aqjurekv1.NewReportServiceClient(coordinator.conn()).GetReport(context.Background(), &aqjurekv1.GetReportRequest{
		StartDate: &date.Date{Year: 2027, Month: 4, Day: 3}, EndDate: &date.Date{Year: 2028, Month: 4, Day: 3}})
	if code, fields := grpcViolations(err); code != codes.InvalidArgument || fields["start_date"] == "" {
		t.Errorf("367 days over gRPC: %v, want InvalidArgument naming start_date", err)
	}
	if _, code := coordinator.get("/v1/report/donors.csv"); code != 404 {
		t.Errorf("a report section that does not exist: %d, want 404", code)
	}
}

func TestReportSectionsDownloadAsCSVThatSpreadsheetsReadSafely(t *testing.T) {
	t.Parallel()
	s := newBooks(t)
	appleLot, juiceLot := s.lotNamed("donations/crates", "алма / яблоки"), s.lotNamed("donations/crates", "=SUM(A1:A9)")
	q := "?" + period(april1, april3)
	for _, c := range []struct {
		section string
		rows    []string
	}{
		{"deliveries", []string{
			"day,hospital,hospital_name,category,unit,quantity,requests",
			"2026-04-03,hospitals/gkb-1,Central Hospital,FRUIT,KILOGRAM,3,1",
			"2026-04-03,hospitals/gkb-1,Central Hospital,JUICE,LITER,6,1",
			"2026-04-03,hospitals/gkb-7,City Hospital No. 7,FRUIT,KILOGRAM,12,1",
		}},
		{"served", []string{
			"day,hospital,hospital_name,drops,headcount",
			"2026-04-03,hospitals/gkb-1,Central Hospital,1,20",
			"2026-04-03,hospitals/gkb-7,City Hospital No. 7,1,30",
		}},
		{"money", []string{
			"currency,received,spent,left,donations,purchases",
			"KZT,55000.50,8000.00,47000.50,2,1",
			"USD,350.00,120.00,230.00,2,1",
		}},
		{"stock", []string{
			"depot,depot_name,category,unit,received,taken,written_off,on_hand",
			"depots/green-bazaar,Green Bazaar,FRUIT,KILOGRAM,65,15,1.5,48.5",
			"depots/green-bazaar,Green Bazaar,JUICE,LITER,24,6,2,16",
			"depots/green-bazaar,Green Bazaar,WATER,LITER,48,0,0,48",
			"depots/kitchen,Қазақ асханасы,MEALS,PORTION,30,0,0,30",
		}},
		// Text that a spreadsheet would run as a formula is kept as text.
		{"written-off", []string{
			"day,time,depot,lot,category,description,quantity,unit,reason",
			"2026-04-03,09:50:00,depots/green-bazaar," + appleLot + `,FRUIT,алма / яблоки,1.5,KILOGRAM,"bruised, gone soft"`,
			"2026-04-03,09:50:00,depots/green-bazaar," + juiceLot + `,JUICE,'=SUM(A1:A9),2,LITER,"leaking, ""bad"" caps"`,
		}},
	} {
		resp := s.getWith(s.http, "/v1/report/"+c.section+".csv"+q)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("%s.csv: %d %s %v", c.section, resp.StatusCode, body, err)
			continue
		}
		want := "\uFEFF" + strings.Join(c.rows, "\r\n") + "\r\n"
		if diff := cmp.Diff(want, string(body)); diff != "" {
			t.Errorf("%s.csv (-want +got):\n%s", c.section, diff)
		}
		if got := resp.Header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
			t.Errorf("%s.csv: Content-Type %q", c.section, got)
		}
		wantName := `attachment; filename="aqjurek-` + c.section + `-2026-04-01-to-2026-04-03.csv"`
		if got := resp.Header.Get("Content-Disposition"); got != wantName {
			t.Errorf("%s.csv: Content-Disposition %q, want %q", c.section, got, wantName)
		}
	}
	// Without a token, the download is refused as JSON, like the report.
	if code, out := s.as("").rest("GET", "/v1/report/money.csv", nil); code != 401 || out["code"] != float64(codes.Unauthenticated) {
		t.Errorf("money.csv without a token: %d %v", code, out)
	}
}

// A database made before lot moves were recorded gets them from what its
// runs recorded: the same moves, at the same times, as recorded live.
func TestLotMovesFilledInForOldRunsAreThoseRecordedLive(t *testing.T) {
	t.Parallel()
	s := newBooks(t)
	s.sqliteOnly("it replays an SQLite migration; PostgreSQL's schema began with the moves")
	moves := func(db *sql.DB) []string {
		t.Helper()
		rows, err := db.Query("SELECT depot_id, lot_id, run_id, move_time, quantity FROM lot_moves ORDER BY run_id, lot_id, quantity")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var depot, lot, run, at string
			var quantity int64
			if err := rows.Scan(&depot, &lot, &run, &at, &quantity); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s/%s by %s at %s: %d", depot, lot, run, at, quantity))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	script, err := os.ReadFile("../store/migrations/sqlite/0013_lot_moves.sql")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "-- The moves made before this table"
	_, fill, found := strings.Cut(string(script), marker)
	if !found {
		t.Fatal("the migration no longer fills in the moves made before it")
	}
	fill = marker + fill
	db, err := sql.Open("sqlite3", s.dbPath+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	live := moves(db)
	// Run A took apples and juice and brought apples back; run B took
	// meals and brought them all back.
	if len(live) != 5 {
		t.Fatalf("moves recorded live: %q", live)
	}
	before := s.report(april1, april3)
	if _, err := db.Exec("DELETE FROM lot_moves"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fill); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(live, moves(db)); diff != "" {
		t.Errorf("moves filled in (-live +filled in):\n%s", diff)
	}
	if diff := cmp.Diff(before, s.report(april1, april3), protocmp.Transform()); diff != "" {
		t.Errorf("the report from moves filled in (-live +filled in):\n%s", diff)
	}
}

// Excel set to Russian or Kazakh splits a .csv file at semicolons, and
// some spreadsheets trim leading spaces: text holding either stays one
// cell of text. Totals above what one gift may be are written in full.
func TestReportCSVKeepsSemicolonsAndSpacedFormulasAsTextAndLargeTotalsWhole(t *testing.T) {
	t.Parallel()
	s := newLedger(t)
	s.mustREST(200, "POST", "/v1/donations", moneyGift("Fund", "KZT", "1000000000000", 0))
	s.mustREST(200, "POST", "/v1/donations", moneyGift("Fund", "KZT", "999999999999", 990000000))
	s.mustREST(200, "POST", "/v1/donations", object{"donor": object{"displayName": "Stall 12"},
		"goods": object{"depot": "depots/green-bazaar", "lines": []any{
			object{"category": "FRUIT", "description": "apples;=2+2", "quantity": 10, "unit": "KILOGRAM"}}}})
	lot := s.listAll("/v1/depots/green-bazaar/lots", "lots")[0]["name"].(string)
	s.mustREST(200, "POST", "/v1/"+lot+":writeOff", object{"quantity": 1, "reason": " =1+1"})

	body, status := s.get("/v1/report/money.csv")
	if want := "\uFEFFcurrency,received,spent,left,donations,purchases\r\nKZT,1999999999999.99,0.00,1999999999999.99,2,0\r\n"; status != 200 || string(body) != want {
		t.Errorf("money.csv: %d\n%q\nwant\n%q", status, body, want)
	}
	body, status = s.get("/v1/report/written-off.csv")
	row := strings.Split(strings.TrimSuffix(string(body), "\r\n"), "\r\n")
	if status != 200 || len(row) != 2 || !strings.HasSuffix(row[1], `,FRUIT,"apples;=2+2",1,KILOGRAM,' =1+1`) {
		t.Errorf("written-off.csv: %d %q", status, body)
	}
}
