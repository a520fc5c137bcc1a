-- The daily card counts now include, for a combined card, each rule it covers (issued_card_rule). The counts are a
-- cache of issued_card: drop them, and the next governance report counts the days again.
DELETE FROM issued_card_day;
