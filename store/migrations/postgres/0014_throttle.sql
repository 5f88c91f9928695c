-- Throttling reserves an attempt before it is made, so that concurrent
-- attempts cannot all pass one check (auth, web). A key's attempts count
-- until its window ends; a row whose window has ended is dead and swept.
-- The failures counted before are dropped with their table: their windows
-- were minutes long.
DROP TABLE login_failures;
CREATE TABLE throttle (
	key        TEXT PRIMARY KEY,
	attempts   INTEGER NOT NULL,
	window_end BIGINT NOT NULL
);
CREATE INDEX throttle_window_end ON throttle(window_end);

-- A failure repeated within a window is logged once when it first happens;
-- the repeats are counted here and written to the access log as one entry,
-- with their count and times, when the window ends. The row keeps the
-- first entry's fields (already truncated and escaped) for that entry.
CREATE TABLE access_log_repeats (
	key         TEXT PRIMARY KEY,
	window_end  BIGINT NOT NULL,
	first_at    BIGINT NOT NULL,
	last_at     BIGINT NOT NULL,
	repeats     INTEGER NOT NULL,
	actor_id    BIGINT NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	resource    TEXT NOT NULL,
	outcome     TEXT NOT NULL,
	address     TEXT NOT NULL
);
CREATE INDEX access_log_repeats_window_end ON access_log_repeats(window_end);
