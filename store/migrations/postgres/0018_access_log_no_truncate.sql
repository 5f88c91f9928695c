-- TRUNCATE fires no row trigger: without this one it emptied the access log
-- past the append-only trigger. (The hash chain and the checkpoints would
-- still show it; this stops it.)
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
	FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_head_no_truncate BEFORE TRUNCATE ON access_log_head
	FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
