-- Issue 11: fewer bytes per answered call, the client a card was issued to, and the governance report in SQL.
-- Portable SQL (H2 and PostgreSQL), like V1.

-- The JWT issuer (iss) of the client that made the call, when client authentication is on: feedback on a card is
-- accepted from that client only.
ALTER TABLE hook_call ADD COLUMN client_issuer VARCHAR(255);

-- A card's suggestions move into its row (space-separated uuids): one table and two indexes fewer written per card.
ALTER TABLE issued_card ADD COLUMN suggestion_uuids VARCHAR(2000);
UPDATE issued_card c SET suggestion_uuids =
    (SELECT STRING_AGG(s.suggestion_uuid, ' ') FROM issued_suggestion s WHERE s.card_uuid = c.card_uuid);
DROP TABLE issued_suggestion CASCADE;

-- The service and hookInstance of a card are its call's: no copy in every card row.
ALTER TABLE issued_card DROP COLUMN service_id;
ALTER TABLE issued_card DROP COLUMN hook_instance;

-- The report counts a period's cards per rule from this index alone (it holds both columns); it replaces V1's
-- index on issued_at.
CREATE INDEX issued_card_issued_at_rule ON issued_card (issued_at, rule_id);
DROP INDEX issued_card_issued_at;

-- Feedback carries its card's rule and issue time, so that the report reads feedback without joining every card.
ALTER TABLE feedback ADD COLUMN rule_id VARCHAR(100);
ALTER TABLE feedback ADD COLUMN card_issued_at TIMESTAMP WITH TIME ZONE;
UPDATE feedback f SET
    rule_id = (SELECT c.rule_id FROM issued_card c WHERE c.card_uuid = f.card_uuid),
    card_issued_at = (SELECT c.issued_at FROM issued_card c WHERE c.card_uuid = f.card_uuid);
CREATE INDEX feedback_card_issued_at ON feedback (card_issued_at);

-- Cards issued per rule and UTC day, for days that are over: filled by the report from issued_card, so that a
-- report over many days counts a few rows per day instead of every card. The rule_id '*' row of a day holds its
-- total and marks the day as counted.
CREATE TABLE issued_card_day (
    issued_on DATE         NOT NULL,
    rule_id   VARCHAR(100) NOT NULL,
    cards     BIGINT       NOT NULL,
    PRIMARY KEY (issued_on, rule_id)
);
