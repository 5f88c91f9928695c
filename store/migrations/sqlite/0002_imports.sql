-- Imported lists. An import is one list (an ingest.List* identifier) of one
-- inspection; importing the list again replaces it. Each row of the list is
-- kept sealed under the inspection's data key, linked to its child by the
-- child's blind index, so that a child's facts can be rebuilt from every
-- list that names the child when one list is replaced.
CREATE TABLE imports (
	id            INTEGER PRIMARY KEY,
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	list          TEXT NOT NULL,
	files         TEXT NOT NULL,
	row_count     INTEGER NOT NULL,
	imported_at   INTEGER NOT NULL,
	imported_by   TEXT NOT NULL
);
CREATE INDEX imports_inspection ON imports(inspection_id, list);
CREATE TABLE import_rows (
	import_id INTEGER NOT NULL REFERENCES imports(id),
	child_idx TEXT NOT NULL,
	sealed    BLOB NOT NULL
);
CREATE INDEX import_rows_import ON import_rows(import_id);
