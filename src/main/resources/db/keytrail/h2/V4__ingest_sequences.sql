-- Issue 13, ADR 0022: the write path of room keys.
-- 1. H2 hands out sequence values from a cache of 32 and, each time the cache runs out, writes the
--    sequence's new high mark with a store commit of its own (a chunk written to the file with
--    WRITE_DELAY=0): a run of 100 room keys paid about six extra store commits beside its own. With a
--    cache of 1,000 it pays one every ten runs. Values are still handed out one by one in increasing order
--    (the global index grows by one, ADR 0002); only a crash skips the unused rest of a cache, a gap like
--    that of a rolled-back transaction.
alter sequence domain_event_entry_seq cache 1000;
-- 2. kt_session.position comes from a sequence instead of the column's identity, so that the rows of a
--    batch are inserted as one JDBC batch (Hibernate inserts IDENTITY rows one by one to read their keys).
--    It starts after the rows already stored; the column keeps its identity default, which nothing uses.
create sequence kt_session_row_seq start with 1 increment by 1 cache 1000;
alter sequence kt_session_row_seq restart with (select coalesce(max(position), 0) + 1 from kt_session);
