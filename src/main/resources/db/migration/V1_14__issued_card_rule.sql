-- The catalogue rules a combined card covers (e.g. the course checklist, whose issued_card.rule_id is the group
-- COURSE-CHECKLIST): every rule listed in its extension "org.alemcds.rules". A single-rule card has no rows here: it
-- covers its own rule, issued_card.rule_id.
-- Version 1.14 (not 2) so that it cannot collide with a version 2 added in parallel; it only adds a table.
CREATE TABLE issued_card_rule (
    card_uuid VARCHAR(64)  NOT NULL REFERENCES issued_card (card_uuid),
    rule_id   VARCHAR(100) NOT NULL,
    PRIMARY KEY (card_uuid, rule_id)
);
CREATE INDEX issued_card_rule_rule ON issued_card_rule (rule_id);
