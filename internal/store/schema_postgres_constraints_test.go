package store_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// statement is one SQL statement and its arguments.
type statement struct {
	query string
	args  []any
}

// validRows holds, for each table, the columns of a row every constraint
// accepts, as SQL literals (? takes its value from the arguments).
var validRows = map[string][][2]string{
	"hospitals": {{"id", "'h3'"}, {"display_name", "'Hospital'"}, {"address", "''"}, {"phone", "''"},
		{"delivery_notes", "''"}, {"archived", "0"}, {"create_time", schemaStamp}, {"update_time", schemaStamp}, {"revision", "1"}},
	"wards": {{"hospital_id", "'h'"}, {"id", "'w3'"}, {"display_name", "'Ward'"}, {"building", "''"},
		{"drop_off_instructions", "''"}, {"staff_on_shift", "4"}, {"contact_phone", "''"}, {"archived", "0"},
		{"create_time", schemaStamp}, {"update_time", schemaStamp}, {"revision", "1"}},
	"depots": {{"id", "'d3'"}, {"display_name", "'Depot'"}, {"address", "''"}, {"hours", "''"}, {"phone", "''"},
		{"archived", "0"}, {"create_time", schemaStamp}, {"update_time", schemaStamp}, {"revision", "1"}},
	"volunteers": {{"id", "'v3'"}, {"display_name", "'Driver'"}, {"phone", "''"}, {"vehicle_kind", "'CAR'"},
		{"capacity_kg", "120.5"}, {"active", "1"}, {"create_time", schemaStamp}, {"update_time", schemaStamp}, {"revision", "1"}},
	"delivery_requests": {{"id", "'q3'"}, {"hospital_id", "'h'"}, {"ward_id", "'w'"}, {"priority", "2"},
		{"deliver_before", schemaStamp}, {"headcount", "5"}, {"dietary_notes", "''"}, {"notes", "''"}, {"state", "'OPEN'"},
		{"cancel_reason", "''"}, {"create_time", schemaStamp}, {"update_time", schemaStamp}, {"revision", "1"}},
	"delivery_request_lines": {{"delivery_request_id", "'q'"}, {"position", "3"}, {"category", "'FRUIT'"},
		{"description", "'apples'"}, {"unit", "'KILOGRAM'"}, {"quantity", "5000"}, {"scheduled_quantity", "0"}, {"delivered_quantity", "0"}},
	"events": {{"sequence", "3"}, {"event_time", schemaStamp}, {"actor", "'tokens/a'"}, {"actor_role", "'admin'"},
		{"kind", "'CREATED'"}, {"resource", "'hospitals/h'"}, {"summary", "''"}},
	"idempotency_keys": {{"actor", "'tokens/a'"}, {"method", "'CreateHospital'"}, {"request_id", "'x3'"},
		{"fingerprint", "?"}, {"resource", "'hospitals/h'"}, {"create_time", schemaStamp}},
	"runs": {{"id", "'r3'"}, {"volunteer_id", "'v'"}, {"depot_id", "'d'"}, {"planned_start_time", schemaStamp},
		{"state", "'PLANNED'"}, {"notes", "''"}, {"load_kg", "0"}, {"cancel_reason", "''"},
		{"create_time", schemaStamp}, {"update_time", schemaStamp}, {"revision", "1"}},
	"stops": {{"run_id", "'r'"}, {"id", "'s3'"}, {"position", "3"}, {"hospital_id", "'h'"}, {"ward_id", "'w'"},
		{"state", "'PENDING'"}, {"received_by", "''"}, {"failure_reason", "''"}, {"note", "''"}},
	"stop_requests": {{"run_id", "'r'"}, {"stop_id", "'s'"}, {"position", "3"}, {"delivery_request_id", "'q2'"}},
	"stop_deliveries": {{"run_id", "'r'"}, {"stop_id", "'s'"}, {"position", "3"}, {"delivery_request_id", "'q'"},
		{"line", "0"}, {"quantity", "500"}},
	"tokens": {{"id", "'t3'"}, {"name", "'ops'"}, {"role", "'admin'"}, {"demo", "0"}, {"secret_hash", "?"},
		{"create_time", schemaStamp}},
	"donations": {{"id", "'m3'"}, {"donor_name", "'Aigerim'"}, {"donor_contact", "''"}, {"donor_public", "1"},
		{"receive_time", schemaStamp}, {"kind", "'MONEY'"}, {"currency", "'KZT'"}, {"amount_minor", "100000"},
		{"channel", "'CARD'"}, {"payment_reference", "''"}, {"notes", "''"}, {"reverse_reason", "''"},
		{"create_time", schemaStamp}, {"update_time", schemaStamp}, {"revision", "1"}},
	"purchases": {{"id", "'p3'"}, {"supplier", "'Bazaar'"}, {"currency", "'KZT'"}, {"amount_minor", "5000"},
		{"receipt_reference", "''"}, {"depot_id", "'d'"}, {"purchase_time", schemaStamp}, {"notes", "''"},
		{"create_time", schemaStamp}, {"update_time", schemaStamp}, {"revision", "1"}},
	"allocations": {{"purchase_id", "'p'"}, {"position", "3"}, {"donation_id", "'m'"}, {"amount_minor", "100"}},
	"lots": {{"depot_id", "'d'"}, {"id", "'l3'"}, {"category", "'FRUIT'"}, {"description", "'apples'"},
		{"unit", "'KILOGRAM'"}, {"received", "1000"}, {"taken", "0"}, {"written_off", "0"}, {"reversed", "0"},
		{"source_donation_id", "'g'"}, {"source_line", "0"}, {"receive_time", schemaStamp},
		{"create_time", schemaStamp}, {"update_time", schemaStamp}, {"revision", "1"}},
	"write_offs": {{"depot_id", "'d'"}, {"lot_id", "'l'"}, {"write_time", schemaStamp}, {"quantity", "10"}, {"reason", "'spoiled'"}},
	"run_loads": {{"run_id", "'r'"}, {"position", "3"}, {"delivery_request_id", "'q'"}, {"line", "0"},
		{"depot_id", "'d'"}, {"lot_id", "'l'"}, {"quantity", "10"}},
	"lot_drops": {{"run_id", "'r'"}, {"stop_id", "'s'"}, {"position", "3"}, {"delivery_request_id", "'q'"},
		{"line", "0"}, {"depot_id", "'d'"}, {"lot_id", "'l'"}, {"quantity", "10"}},
	"lot_moves": {{"depot_id", "'d'"}, {"lot_id", "'l'"}, {"run_id", "'r'"}, {"move_time", schemaStamp}, {"quantity", "10"}},
}

const schemaStamp = "'2026-12-06T10:00:00.000000Z'"

// insertRow is the INSERT of table's valid row with some columns changed:
// set holds column, value pairs; a value of "" leaves the column out.
func insertRow(table string, set ...string) statement {
	values := map[string]string{}
	var columns []string
	for _, cv := range validRows[table] {
		values[cv[0]] = cv[1]
		columns = append(columns, cv[0])
	}
	for i := 0; i+1 < len(set); i += 2 {
		if _, ok := values[set[i]]; !ok {
			columns = append(columns, set[i])
		}
		values[set[i]] = set[i+1]
	}
	var names, literals []string
	var args []any
	for _, c := range columns {
		if values[c] == "" {
			continue
		}
		names, literals = append(names, c), append(literals, values[c])
		if values[c] == "?" {
			args = append(args, []byte{0x5e, 0xc2})
		}
	}
	return statement{"INSERT INTO " + table + " (" + strings.Join(names, ", ") + ") VALUES (" + strings.Join(literals, ", ") + ")", args}
}

func sqlStatement(query string) statement { return statement{query: query} }

// TestPostgresSchemaRefusesWhatSQLiteRefuses writes on both engines rows
// that break each CHECK, key, UNIQUE and foreign key of the schema, and
// rows that keep them, each case in a transaction that is rolled back: both
// engines must refuse the first and take the second, and cascades and
// generated columns must leave the same rows.
func TestPostgresSchemaRefusesWhatSQLiteRefuses(t *testing.T) {
	t.Parallel()
	engines := []schemaEngine{migratedSQLite(t), migratedPostgres(t)}
	// The rows the cases refer to: hospital h with ward w, hospital h2 with
	// ward w and no requests, depot d, volunteer v, requests q and q2 (q
	// with a line), run r with stop s, money donation m, goods donation g,
	// purchase p and the lot l of g.
	fixture := []statement{
		insertRow("hospitals", "id", "'h'"), insertRow("hospitals", "id", "'h2'"),
		insertRow("wards", "id", "'w'"), insertRow("wards", "hospital_id", "'h2'", "id", "'w'"),
		insertRow("depots", "id", "'d'"), insertRow("volunteers", "id", "'v'"),
		insertRow("delivery_requests", "id", "'q'"), insertRow("delivery_requests", "id", "'q2'"),
		insertRow("delivery_request_lines", "position", "0"),
		insertRow("runs", "id", "'r'"), insertRow("stops", "id", "'s'", "position", "0"),
		insertRow("stop_requests", "position", "0", "delivery_request_id", "'q'"),
		insertRow("donations", "id", "'m'"),
		insertRow("donations", "id", "'g'", "kind", "'GOODS'", "currency", "", "amount_minor", "", "channel", "", "depot_id", "'d'"),
		insertRow("purchases", "id", "'p'"), insertRow("lots", "id", "'l'"),
		insertRow("events", "sequence", "1"), insertRow("idempotency_keys", "request_id", "'x'"),
		insertRow("tokens", "id", "'t'"),
	}
	for _, e := range engines {
		for _, s := range fixture {
			e.exec(t, s.query, s.args...)
		}
	}
	goods := []string{"kind", "'GOODS'", "currency", "", "amount_minor", "", "channel", "", "depot_id", "'d'"}
	cases := []struct {
		name    string
		refused bool
		do      []statement // all but the last must succeed
		probe   string      // read after the last, when it succeeded
	}{
		{"a hospital", false, []statement{insertRow("hospitals")}, ""},
		{"a hospital archived twice over", true, []statement{insertRow("hospitals", "archived", "2")}, ""},
		{"a hospital with no phone", true, []statement{insertRow("hospitals", "phone", "NULL")}, ""},
		{"a hospital that exists", true, []statement{insertRow("hospitals", "id", "'h'")}, ""},
		{"a ward", false, []statement{insertRow("wards")}, ""},
		{"a ward of no hospital", true, []statement{insertRow("wards", "hospital_id", "'nowhere'")}, ""},
		{"a ward archived twice over", true, []statement{insertRow("wards", "archived", "-1")}, ""},
		{"a hospital deleted with its wards", false, []statement{sqlStatement("DELETE FROM hospitals WHERE id = 'h2'")},
			"SELECT hospital_id, id FROM wards ORDER BY 1, 2"},
		{"a hospital whose wards have requests", true, []statement{sqlStatement("DELETE FROM hospitals WHERE id = 'h'")}, ""},
		{"a depot", false, []statement{insertRow("depots")}, "SELECT id, no_stock FROM depots ORDER BY id"},
		{"a depot that keeps no stock", false, []statement{insertRow("depots", "no_stock", "1")}, ""},
		{"a depot's no_stock not a flag", true, []statement{insertRow("depots", "no_stock", "2")}, ""},
		{"a volunteer", false, []statement{insertRow("volunteers")}, ""},
		{"a volunteer active not a flag", true, []statement{insertRow("volunteers", "active", "3")}, ""},
		{"a request", false, []statement{insertRow("delivery_requests")}, "SELECT id, waiting FROM delivery_requests ORDER BY id"},
		{"a request of priority 4", true, []statement{insertRow("delivery_requests", "priority", "4")}, ""},
		{"a request of priority 0", true, []statement{insertRow("delivery_requests", "priority", "0")}, ""},
		{"a request in no state known", true, []statement{insertRow("delivery_requests", "state", "'LOST'")}, ""},
		{"a request for a ward of another hospital", true, []statement{insertRow("delivery_requests", "ward_id", "'nowhere'")}, ""},
		{"a delivered request is not waiting", false, []statement{insertRow("delivery_requests", "state", "'DELIVERED'")},
			"SELECT id, waiting FROM delivery_requests ORDER BY id"},
		{"writing waiting", true, []statement{sqlStatement("UPDATE delivery_requests SET waiting = 0 WHERE id = 'q'")}, ""},
		{"a line", false, []statement{insertRow("delivery_request_lines")}, ""},
		{"a line of nothing", true, []statement{insertRow("delivery_request_lines", "quantity", "0")}, ""},
		{"a line scheduled below zero", true, []statement{insertRow("delivery_request_lines", "scheduled_quantity", "-1")}, ""},
		{"a line delivered below zero", true, []statement{insertRow("delivery_request_lines", "delivered_quantity", "-1")}, ""},
		{"a line at a taken position", true, []statement{insertRow("delivery_request_lines", "position", "0")}, ""},
		{"a line of no request", true, []statement{insertRow("delivery_request_lines", "delivery_request_id", "'nothing'")}, ""},
		{"a request deleted with its lines", false, []statement{
			sqlStatement("DELETE FROM stop_requests"), sqlStatement("DELETE FROM delivery_requests WHERE id = 'q'")},
			"SELECT count(*) FROM delivery_request_lines"},
		{"a request still at a stop", true, []statement{sqlStatement("DELETE FROM delivery_requests WHERE id = 'q'")}, ""},
		{"an event", false, []statement{insertRow("events")}, ""},
		{"an event of a sequence taken", true, []statement{insertRow("events", "sequence", "1")}, ""},
		{"an idempotency key used twice", true, []statement{insertRow("idempotency_keys", "request_id", "'x'")}, ""},
		{"an idempotency key without a fingerprint", true, []statement{insertRow("idempotency_keys", "fingerprint", "NULL")}, ""},
		{"a run", false, []statement{insertRow("runs")}, "SELECT id, capacity_override, stock_override FROM runs ORDER BY id"},
		{"a run in no state known", true, []statement{insertRow("runs", "state", "'LOST'")}, ""},
		{"a run of no volunteer", true, []statement{insertRow("runs", "volunteer_id", "'nobody'")}, ""},
		{"a run from no depot", true, []statement{insertRow("runs", "depot_id", "'nowhere'")}, ""},
		{"a run's capacity override not a flag", true, []statement{insertRow("runs", "capacity_override", "2")}, ""},
		{"a run's stock override not a flag", true, []statement{insertRow("runs", "stock_override", "2")}, ""},
		{"a stop", false, []statement{insertRow("stops")}, "SELECT id, deadline_at_risk, estimated_arrival_time FROM stops ORDER BY id"},
		{"a stop in no state known", true, []statement{insertRow("stops", "state", "'LOST'")}, ""},
		{"a stop at no ward", true, []statement{insertRow("stops", "ward_id", "'nowhere'")}, ""},
		{"a stop's deadline at risk not a flag", true, []statement{insertRow("stops", "deadline_at_risk", "2")}, ""},
		{"a stop request", false, []statement{insertRow("stop_requests")}, ""},
		{"a stop request at no stop", true, []statement{insertRow("stop_requests", "stop_id", "'nowhere'")}, ""},
		{"a stop request of no request", true, []statement{insertRow("stop_requests", "delivery_request_id", "'nothing'")}, ""},
		{"a stop delivery", false, []statement{insertRow("stop_deliveries")}, ""},
		{"a stop delivery below zero", true, []statement{insertRow("stop_deliveries", "quantity", "-1")}, ""},
		{"a run deleted with its stops", false, []statement{insertRow("stop_deliveries"), sqlStatement("DELETE FROM runs WHERE id = 'r'")},
			"SELECT (SELECT count(*) FROM stops), (SELECT count(*) FROM stop_requests), (SELECT count(*) FROM stop_deliveries)"},
		{"a run that took from a lot", true, []statement{insertRow("run_loads"), sqlStatement("DELETE FROM runs WHERE id = 'r'")}, ""},
		{"a token", false, []statement{insertRow("tokens")}, ""},
		{"a token of no role known", true, []statement{insertRow("tokens", "role", "'root'")}, ""},
		{"a staff token", false, []statement{insertRow("tokens", "role", "'staff'", "hospital_id", "'h'")}, ""},
		{"a staff token of no hospital", true, []statement{insertRow("tokens", "role", "'staff'")}, ""},
		{"a staff token of a hospital unknown", true, []statement{insertRow("tokens", "role", "'staff'", "hospital_id", "'nowhere'")}, ""},
		{"an admin token bound to a hospital", true, []statement{insertRow("tokens", "hospital_id", "'h'")}, ""},
		{"a driver token", false, []statement{insertRow("tokens", "role", "'driver'", "volunteer_id", "'v'")}, ""},
		{"a driver token of no volunteer", true, []statement{insertRow("tokens", "role", "'driver'")}, ""},
		{"a coordinator token bound to a volunteer", true, []statement{insertRow("tokens", "role", "'coordinator'", "volunteer_id", "'v'")}, ""},
		{"a token's demo not a flag", true, []statement{insertRow("tokens", "demo", "2")}, ""},
		{"a money donation", false, []statement{insertRow("donations")}, ""},
		{"a money donation without a currency", true, []statement{insertRow("donations", "currency", "")}, ""},
		{"a money donation without an amount", true, []statement{insertRow("donations", "amount_minor", "NULL")}, ""},
		{"a money donation at a depot", true, []statement{insertRow("donations", "depot_id", "'d'")}, ""},
		{"a goods donation", false, []statement{insertRow("donations", goods...)}, ""},
		{"a goods donation at no depot", true, []statement{insertRow("donations", append(goods, "depot_id", "")...)}, ""},
		{"a goods donation with money", true, []statement{insertRow("donations", append(goods, "currency", "'KZT'", "amount_minor", "5", "channel", "'CASH'")...)}, ""},
		{"a donation of no kind known", true, []statement{insertRow("donations", "kind", "'CRYPTO'")}, ""},
		{"a donor public not a flag", true, []statement{insertRow("donations", "donor_public", "2")}, ""},
		{"a reversal", false, []statement{insertRow("donations", "reverses_id", "'m'", "amount_minor", "-100000")}, ""},
		{"a second reversal of one donation", true, []statement{
			insertRow("donations", "reverses_id", "'m'"), insertRow("donations", "id", "'m4'", "reverses_id", "'m'")}, ""},
		{"a reversal of no donation", true, []statement{insertRow("donations", "reverses_id", "'nothing'")}, ""},
		{"a donation line of no donation", true, []statement{sqlStatement(`INSERT INTO donation_lines
			(donation_id, position, category, description, quantity, unit) VALUES ('nothing', 0, 'FRUIT', '', 1, 'KILOGRAM')`)}, ""},
		{"a purchase", false, []statement{insertRow("purchases")}, ""},
		{"a purchase of nothing", true, []statement{insertRow("purchases", "amount_minor", "0")}, ""},
		{"a purchase into no depot", true, []statement{insertRow("purchases", "depot_id", "'nowhere'")}, ""},
		{"a purchase line of no purchase", true, []statement{sqlStatement(`INSERT INTO purchase_lines
			(purchase_id, position, category, description, quantity, unit) VALUES ('nothing', 0, 'FRUIT', '', 1, 'KILOGRAM')`)}, ""},
		{"an allocation", false, []statement{insertRow("allocations")}, ""},
		{"an allocation of nothing", true, []statement{insertRow("allocations", "amount_minor", "0")}, ""},
		{"an allocation from no donation", true, []statement{insertRow("allocations", "donation_id", "'nothing'")}, ""},
		{"a lot", false, []statement{insertRow("lots", "taken", "300", "written_off", "200", "reversed", "100")},
			"SELECT id, on_hand FROM lots ORDER BY id"},
		{"a lot of nothing", true, []statement{insertRow("lots", "received", "0")}, ""},
		{"a lot taken below zero", true, []statement{insertRow("lots", "taken", "-1")}, ""},
		{"a lot written off below zero", true, []statement{insertRow("lots", "written_off", "-1")}, ""},
		{"a lot reversed below zero", true, []statement{insertRow("lots", "reversed", "-1")}, ""},
		{"a lot with less than nothing on hand", true, []statement{insertRow("lots", "taken", "600", "written_off", "401")}, ""},
		{"a lot taken down to nothing", false, []statement{sqlStatement("UPDATE lots SET taken = received WHERE id = 'l'")},
			"SELECT id, on_hand FROM lots ORDER BY id"},
		{"a lot from a donation and a purchase", true, []statement{insertRow("lots", "source_purchase_id", "'p'")}, ""},
		{"a lot from nowhere", true, []statement{insertRow("lots", "source_donation_id", "")}, ""},
		{"a lot at no depot", true, []statement{insertRow("lots", "depot_id", "'nowhere'")}, ""},
		{"writing on_hand", true, []statement{sqlStatement("UPDATE lots SET on_hand = 5 WHERE id = 'l'")}, ""},
		{"a write-off", false, []statement{insertRow("write_offs")}, ""},
		{"a write-off of nothing", true, []statement{insertRow("write_offs", "quantity", "0")}, ""},
		{"a write-off of no lot", true, []statement{insertRow("write_offs", "lot_id", "'nothing'")}, ""},
		{"a load", false, []statement{insertRow("run_loads")}, ""},
		{"a load of nothing", true, []statement{insertRow("run_loads", "quantity", "0")}, ""},
		{"a load from no lot", true, []statement{insertRow("run_loads", "lot_id", "'nothing'")}, ""},
		{"a drop", false, []statement{insertRow("lot_drops")}, ""},
		{"a drop of nothing", true, []statement{insertRow("lot_drops", "quantity", "0")}, ""},
		{"a drop of no run", true, []statement{insertRow("lot_drops", "run_id", "'nothing'")}, ""},
		{"a move back", false, []statement{insertRow("lot_moves", "quantity", "-10")}, ""},
		{"a move of nothing", true, []statement{insertRow("lot_moves", "quantity", "0")}, ""},
		{"a move of no run", true, []statement{insertRow("lot_moves", "run_id", "'nothing'")}, ""},
	}
	for _, c := range cases {
		var probes [2][]string
		for i, e := range engines {
			tx, err := e.db.Begin()
			if err != nil {
				t.Fatal(err)
			}
			var last error
			for j, s := range c.do {
				_, err := tx.Exec(e.rebind(s.query), s.args...)
				if j < len(c.do)-1 && err != nil {
					t.Fatalf("%s: %s: %s: %v", c.name, e.name, s.query, err)
				}
				last = err
			}
			switch {
			case c.refused && last == nil:
				t.Errorf("%s: %s took %s", c.name, e.name, c.do[len(c.do)-1].query)
			case !c.refused && last != nil:
				t.Errorf("%s: %s refused %s: %v", c.name, e.name, c.do[len(c.do)-1].query, last)
			case last == nil && c.probe != "":
				rows, err := tx.Query(c.probe)
				if err != nil {
					t.Fatalf("%s: %s: %s: %v", c.name, e.name, c.probe, err)
				}
				probes[i] = rowStrings(t, rows)
			}
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
		}
		if diff := cmp.Diff(probes[0], probes[1]); diff != "" {
			t.Errorf("%s: %s differs (-sqlite +postgres):\n%s", c.name, c.probe, diff)
		}
	}
}
