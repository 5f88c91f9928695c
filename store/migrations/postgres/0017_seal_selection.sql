-- Why a child was picked and which strata it covers are the child's
-- attributes (its age band, its plan): sealed under the inspection's data
-- key from now on. Rows written before are sealed by the store when it
-- migrates (sealSelections), and their plaintext columns emptied.
ALTER TABLE selected_children ADD COLUMN sealed_reason BYTEA;
ALTER TABLE selected_children ADD COLUMN sealed_covers BYTEA;
