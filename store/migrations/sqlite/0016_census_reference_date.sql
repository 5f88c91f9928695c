-- The CIN census's reference date (its Header's, as YYYY-MM-DD), kept with
-- the census's import: it is shown with the list, and a census earlier than
-- the one imported is refused rather than laid over it. NULL for every other
-- list, and for a census that gives none.
ALTER TABLE imports ADD COLUMN reference_date TEXT;
