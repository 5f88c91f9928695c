-- The generation: one number that every write transaction moves on before
-- it commits, unless it writes only what the store never keeps in memory
-- (the access log, sessions, sign-in failures, the outbox, an API token's
-- last use). A request reads it with its session, and the store's read
-- cache (cache.go) answers only for the generation the request saw. After changing data by hand, run
-- UPDATE generation SET n = n + 1 for every server to see it at once.
CREATE TABLE generation (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  BIGINT NOT NULL
);
INSERT INTO generation (id, n) VALUES (1, 0);
