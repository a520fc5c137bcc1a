-- The catalogue rules each issued card covers. A single-rule card covers its own rule (issued_card.rule_id); a
-- combined card (e.g. the course checklist, whose issued_card.rule_id is the group COURSE-CHECKLIST) covers every
-- rule listed in its extension "org.alemcds.rules". Feedback on a card counts for each rule it covers: join
-- feedback -> issued_card_rule on card_uuid and group by issued_card_rule.rule_id.
-- Version 1.14 (not 2) so that it cannot collide with a version 2 added in parallel; it only adds a table.
CREATE TABLE issued_card_rule (
    card_uuid VARCHAR(64)  NOT NULL REFERENCES issued_card (card_uuid),
    rule_id   VARCHAR(100) NOT NULL,
    PRIMARY KEY (card_uuid, rule_id)
);
CREATE INDEX issued_card_rule_rule ON issued_card_rule (rule_id);

-- Cards issued before this table existed covered exactly their topic's rule.
INSERT INTO issued_card_rule (card_uuid, rule_id) SELECT card_uuid, rule_id FROM issued_card;
