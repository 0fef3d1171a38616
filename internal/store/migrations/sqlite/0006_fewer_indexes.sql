-- Every index is written on every change and weighs on every commit. These
-- two are covered by the indexes of migration 0004, which lists of one
-- state read in order and filter as they go.
DROP INDEX delivery_requests_by_state;
DROP INDEX delivery_requests_by_hospital;
