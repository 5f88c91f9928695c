-- Lists corrected after the selection: a selected child that no list names
-- any more is kept (its selection and joint audit refer to it) and marked
-- off the lists from then on, rather than deleted. What screening said of a
-- selected child when it was selected is kept, sealed under the
-- inspection's data key (its reasons are the child's attributes), so that a
-- change since can be shown to the lead inspector.
ALTER TABLE children ADD COLUMN off_lists_at BIGINT;
ALTER TABLE selected_children ADD COLUMN screened BYTEA;
