-- V4 (ADR 0023): H2 writes a sequence's next block of values to the store every CACHE values (default
-- 32), and with WRITE_DELAY=0 each such write is a commit of its own: a new MVStore chunk holding every
-- page the running transaction has changed so far. A batch of 100 room keys drew 100 event ids and 100
-- session positions, so 6-7 extra chunks per batch: 59% of the samples in MVStore.commit (JFR, issue 13).
-- With a block of 1024 values the store writes a sequence about once every ten batches. A kill -9 skips
-- at most the rest of a block: the event store's trackers already treat skipped global indexes as gaps
-- (far below Axon's 10,000-entry gap window), and kt_session.position only orders the listing.
alter sequence domain_event_entry_seq cache 1024;
alter table kt_session alter column position set cache 1024;
-- The replay ledger's identity (one row per decrypted message index) had the same flush every 32 rows on
-- the decrypt path (ADR 0021's profile).
alter table kt_decrypted_index alter column id set cache 1024;
