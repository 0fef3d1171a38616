-- Lists read an index in their order and stop after a page. A filter on the
-- three waiting states (the coordinator's board, a hospital's open needs,
-- overdue) cannot do that with state IN (...), so it reads this column.
ALTER TABLE delivery_requests ADD COLUMN waiting INTEGER
    GENERATED ALWAYS AS (state IN ('OPEN', 'SCHEDULED', 'IN_TRANSIT')) VIRTUAL;

CREATE INDEX delivery_requests_waiting ON delivery_requests (waiting, priority DESC, deliver_before, id);
CREATE INDEX delivery_requests_waiting_by_hospital ON delivery_requests (hospital_id, waiting, priority DESC, deliver_before, id);
DROP INDEX delivery_requests_by_ward;
CREATE INDEX delivery_requests_by_ward ON delivery_requests (hospital_id, ward_id, waiting, priority DESC, deliver_before, id);
CREATE INDEX delivery_requests_in_order ON delivery_requests (priority DESC, deliver_before, id);
CREATE INDEX delivery_requests_by_hospital_in_order ON delivery_requests (hospital_id, priority DESC, deliver_before, id);
