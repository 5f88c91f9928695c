-- The notification and the nominated contacts. The lead inspector records
-- when the partnership was notified; contacts entered before then wait,
-- "not sent yet" (sent_at NULL), and are invited together when it is
-- recorded. A contact's invitation can be revoked, or sent again with a new
-- link: the links it replaced are kept (hash only) so that they get "this
-- link no longer works" rather than "not found". Accounts made through an
-- invitation always give a second factor at sign-in.
ALTER TABLE inspections ADD COLUMN partnership_notified_at BIGINT;
ALTER TABLE inspections ADD COLUMN partnership_notified_by TEXT NOT NULL DEFAULT '';
ALTER TABLE invitations ADD COLUMN sent_at BIGINT;
ALTER TABLE invitations ADD COLUMN revoked_at BIGINT;
ALTER TABLE invitations ADD COLUMN revoked_by TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN requires_second_factor BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE invitation_replaced_links (
	token_hash    TEXT PRIMARY KEY,
	invitation_id BIGINT NOT NULL REFERENCES invitations(id),
	replaced_at   BIGINT NOT NULL
);
-- Invitations made before this migration went out at once, so their
-- inspection's partnership had been notified by the first of them.
UPDATE invitations SET sent_at = created_at;
UPDATE inspections SET partnership_notified_at = (SELECT MIN(created_at) FROM invitations WHERE invitations.inspection_id = inspections.id),
	partnership_notified_by = (SELECT invited_by FROM invitations WHERE invitations.inspection_id = inspections.id ORDER BY id LIMIT 1)
	WHERE EXISTS (SELECT 1 FROM invitations WHERE invitations.inspection_id = inspections.id);
UPDATE users SET requires_second_factor = TRUE WHERE id IN (SELECT user_id FROM invitations WHERE user_id IS NOT NULL);
CREATE INDEX invitations_agency ON invitations(inspection_id, agency_id);
