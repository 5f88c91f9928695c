-- Several app servers send the outbox: a sender claims a message until its
-- lease ends, so no other sender takes it meanwhile. A sender that stops
-- mid-send leaves the claim to lapse, and the message is sent again.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;
